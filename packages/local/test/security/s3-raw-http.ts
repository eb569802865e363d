import { createHash } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { connect } from 'node:net';

/** What the server answered, body as text. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One unsigned request with `path` sent exactly as given (curl's `--path-as-is`: no `..` resolved, no
 * escape decoded), on a connection of its own.
 */
export function rawRequest(
  endpoint: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    // Node sends a DELETE's body without a length unless told: say it, as every S3 client does.
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const options = { host: hostname, port, method, path, headers: { ...length, ...headers }, agent: false };
    const req = request(options, (res) => readResponse(res).then(resolve, reject));
    req.on('error', reject);
    req.end(body);
  });
}

async function readResponse(res: IncomingMessage): Promise<RawResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
}

/**
 * PUTs `size` bytes to `path` with a Content-Length, streamed 1 MiB at a time at the pace the server
 * reads them; resolves with the answer and the hex MD5 of what was sent.
 */
export function streamedPut(
  endpoint: string,
  path: string,
  size: number,
): Promise<RawResponse & { md5: string }> {
  const { hostname, port } = new URL(endpoint);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7919) % 251;
  const hash = createHash('md5');
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: 'PUT', path, headers: { 'content-length': size }, agent: false },
      (res) => readResponse(res).then((answer) => resolve({ ...answer, md5: hash.digest('hex') }), reject),
    );
    req.on('error', reject);
    let left = size;
    const write = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        hash.update(piece);
        if (!req.write(piece)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

/**
 * Sends a request head alone over a bare socket and reads what comes back until the server closes the
 * connection: an answer that came is one decided before any of the body was read.
 */
export function headOnlyRequest(endpoint: string, head: string): Promise<string> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
    });
    socket.on('data', (data: Buffer) => chunks.push(data));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
  });
}

/** Sends a request head and `bytes` of its body, then hangs up: a client that went away mid-upload. */
export function abandonedRequest(endpoint: string, head: string, bytes: number): Promise<void> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      socket.write(Buffer.alloc(bytes, 120), () => socket.destroy());
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
