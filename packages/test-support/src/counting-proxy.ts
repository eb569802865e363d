import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(out);
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
