import { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';

/**
 * Plain HTTP for the wire attacks an SDK would never send: bodies declared and not sent, bodies that
 * never end, operation names no client has.
 */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Body bytes this client had written when the answer came. */
  sent: number;
}

/** A SigV4 Authorization header of the right shape for `service` (the server checks the shape only). */
export function signedHeaders(service: string): Record<string, string> {
  return {
    'x-amz-date': '20240101T000000Z',
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=ff`,
  };
}

/** The headers of an AWS JSON 1.1 call to `target` (`CodeDeploy_20141006.GetApplication`). */
export function jsonHeaders(service: string, target: string): Record<string, string> {
  return { ...signedHeaders(service), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
}

/**
 * One request: `write` sends (some of) the body and reports how many bytes it has written so far.
 * Resolves with the answer; a connection error after the answer came (the server cutting a body it
 * refused) is expected and ignored.
 */
function exchange(
  url: string,
  method: string,
  headers: Record<string, string>,
  write: (req: ClientRequest, answered: () => boolean) => () => number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method, headers });
    const sent = write(req, () => answered);
    req.on('response', (res) => {
      answered = true;
      collect(res, sent()).then(resolve, reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
  });
}

function collect(res: IncomingMessage, sent: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        sent,
      }),
    );
    res.on('error', reject);
  });
}

/** A request with its whole body and its Content-Length. */
export function sendBody(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<Answer> {
  const bytes = Buffer.from(body);
  return exchange(url, method, { ...headers, 'content-length': String(bytes.length) }, (req) => {
    req.end(bytes);
    return () => bytes.length;
  });
}

/**
 * Headers declaring a body of `declared` bytes, and not one byte of it: an answer proves the server
 * decided from the header alone, before reading (let alone buffering) anything.
 */
export function declareOnly(
  url: string,
  method: string,
  headers: Record<string, string>,
  declared: number,
): Promise<Answer> {
  return exchange(url, method, { ...headers, 'content-length': String(declared) }, (req) => {
    req.flushHeaders();
    return () => 0;
  });
}

/** A chunked body (no Content-Length) of up to `total` bytes, 1 MiB a write, until the server answers. */
export function streamChunked(
  url: string,
  method: string,
  headers: Record<string, string>,
  total: number,
): Promise<Answer> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  return exchange(url, method, { ...headers, 'transfer-encoding': 'chunked' }, (req, answered) => {
    let sent = 0;
    const write = () => {
      while (!answered() && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!answered()) req.end();
    };
    write();
    return () => sent;
  });
}
