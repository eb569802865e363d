import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** When the first request of a run arrived, on the parent's `performance.now()` clock. */
export interface FirstRequest {
  atMs: number;
  /** `X-Amz-Target` of the request (e.g. `CodeDeploy_20141006.GetApplication`), or METHOD PATH. */
  operation: string;
}

/**
 * A CodeDeploy endpoint that refuses everything: every request gets the 400 the service answers for an
 * unknown application. Neither contender retries that error, so each run ends after its first request.
 */
export interface FirstRequestServer {
  url: string;
  /** Forget the last run and resolve with the next request to arrive, or reject after `timeoutMs`. */
  nextRequest(timeoutMs: number): Promise<FirstRequest>;
  /** Requests answered since the last `nextRequest` (a contender that retried would show up here). */
  requestsSinceArm(): number;
  close(): Promise<void>;
}

const REFUSAL = JSON.stringify({
  __type: 'ApplicationDoesNotExistException',
  message: 'The application bench-app does not exist with the user or AWS account.',
});

export async function startFirstRequestServer(): Promise<FirstRequestServer> {
  let waiter: { resolve: (request: FirstRequest) => void } | undefined;
  let requests = 0;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    // Timed before the body is read: the request has arrived once its headers have.
    const atMs = performance.now();
    requests++;
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target : `${request.method} ${request.url}`;
    waiter?.resolve({ atMs, operation });
    waiter = undefined;
    request.resume();
    request.on('end', () => {
      response.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(REFUSAL),
        'x-amzn-requestid': '00000000-0000-0000-0000-000000000000',
      });
      response.end(REFUSAL);
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    nextRequest(timeoutMs) {
      requests = 0;
      return new Promise<FirstRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`no request arrived within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiter = {
          resolve: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
      });
    },
    requestsSinceArm: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
