import {
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';

/**
 * Sends `req` on to `host:port` `path` over plain http and pipes the answer back into `res`; an
 * upstream that cannot be reached answers 502 with the error. Shared by the test proxies.
 */
export function relayRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: { host: string; port: string | number; path: string; headers: OutgoingHttpHeaders },
): void {
  const out = httpRequest({ ...target, method: req.method }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
  req.pipe(out);
}
