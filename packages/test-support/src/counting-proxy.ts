import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relayRequest } from './relay.js';

/**
 * An HTTP proxy in front of an AWS endpoint (the local CodeDeploy) that records every request it
 * forwards: point a client's AWS_ENDPOINT_URL at `endpoint` and read `requests` to prove how many
 * calls went out, and which — none, for input a command must refuse before talking to AWS.
 */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  /**
   * One entry per request, oldest first: the JSON protocols' `X-Amz-Target` operation
   * (`CodeDeploy_20141006.GetApplication`), else `METHOD /path` (S3, Lambda).
   */
  requests: string[];
  /** When each request arrived, in `performance.now()` milliseconds of this process (benchmarks). */
  arrivals: number[];
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const arrivals: number[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    arrivals.push(performance.now());
    const operation = req.headers['x-amz-target'];
    requests.push(typeof operation === 'string' ? operation : `${req.method} ${req.url?.split('?')[0]}`);
    relayRequest(req, res, {
      host: upstream.hostname,
      port: upstream.port,
      path: req.url ?? '/',
      headers: { ...req.headers, host: upstream.host },
    });
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
