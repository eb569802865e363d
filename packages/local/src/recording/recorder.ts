import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';

/** The environment variable that turns recording on: a folder to write `local-<pid>.jsonl` into. */
export const RECORD_VARIABLE = 'CODEDEPLOY_GATE_LOCAL_RECORD';

/** Which wire protocol answered a request; admin requests are not recorded. */
export type RecordedProtocol = 'json' | 'lambda' | 's3' | 'admin';

/** One line of a recording: a request as the server routed it and the response it gave. */
export interface RecordedExchange {
  protocol: Exclude<RecordedProtocol, 'admin'>;
  /** `X-Amz-Target` for the JSON protocols, the Lambda operation; undefined for S3 (the checker resolves it). */
  operation?: string;
  method: string;
  /** The raw request path, without the query. */
  path: string;
  /** Query parameters, but those of a presigned URL (`X-Amz-*`). */
  query: Record<string, string>;
  /** Names (never values) of the request's `x-amz-*` headers: S3 tells CopyObject from PutObject by one. */
  requestHeaders: string[];
  status: number;
  headers: Record<string, string>;
  /** The response body when it is JSON or XML and at most MAX_BODY_BYTES, with credentials redacted. */
  body?: string;
  /**
   * Set when the body was left out: `binary` (not JSON or XML), `too-large`, or `payload` (user data, not
   * a service document: a Lambda Invoke's result, an S3 object's content).
   */
  bodyOmitted?: 'binary' | 'too-large' | 'payload';
}

/** A response body above this is not recorded (the line says so). */
const MAX_BODY_BYTES = 256 * 1024;
/** A recording file stops growing here; its last line then says `recordingFull`. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Response headers worth keeping: they carry the error code, the payload's type and S3's ETag. */
const RECORDED_HEADERS = ['content-type', 'etag', 'location', 'x-amzn-errortype', 'x-amz-function-error'];
/**
 * JSON members whose values are credentials or user secrets: CodePipeline's artifact credentials,
 * Lambda's environment variables, ECS containers' `environment`. Their values are replaced before a
 * line is written.
 */
const SECRET_MEMBERS = /^(accessKeyId|secretAccessKey|sessionToken|Variables|environment)$/;
const REDACTED = '<redacted>';

/** Watches one request; `label` says which protocol (and operation) the server routed it to. */
export interface RequestWatch {
  label(protocol: RecordedProtocol, operation?: string): void;
}

/**
 * Records what the server answers, one JSON line per exchange, so a checker can hold every response
 * of a test run against the services' models. Only the request line, the query (but presigned URL
 * parameters) and the response are kept: never request headers (Authorization), never request bodies.
 */
export class Recorder {
  private readonly file: string;
  private bytes = 0;
  private full = false;

  constructor(directory: string) {
    const folder = resolve(directory);
    mkdirSync(folder, { recursive: true });
    this.file = join(folder, `local-${process.pid}.jsonl`);
    // Several servers in one test process share the file: count what they wrote before.
    this.bytes = statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
  }

  /** The recorder the environment asks for, if any. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): Recorder | undefined {
    const directory = env[RECORD_VARIABLE];
    return directory ? new Recorder(directory) : undefined;
  }

  watch(req: IncomingMessage, res: ServerResponse): RequestWatch {
    let protocol: RecordedProtocol | undefined;
    let operation: string | undefined;
    const body = captureBody(res);
    const headers = captureHeaders(res);
    res.once('finish', () => {
      if (protocol === undefined || protocol === 'admin') return;
      this.write(exchangeOf(req, res, headers(), protocol, operation, body()));
    });
    return {
      label(routedTo, named) {
        protocol = routedTo;
        operation = named;
      },
    };
  }

  private write(exchange: RecordedExchange): void {
    const line = `${JSON.stringify(exchange)}\n`;
    const size = Buffer.byteLength(line);
    if (this.bytes + size > MAX_FILE_BYTES) {
      if (!this.full) this.append(`${JSON.stringify({ recordingFull: true })}\n`);
      this.full = true;
      return;
    }
    this.bytes += size;
    this.append(line);
  }

  /** Recording must never fail a request: a folder removed meanwhile is made again, other errors dropped. */
  private append(line: string): void {
    try {
      appendFileSync(this.file, line);
    } catch {
      try {
        mkdirSync(dirname(this.file), { recursive: true });
        appendFileSync(this.file, line);
      } catch {
        // The recording misses this line; the checker judges what was recorded.
      }
    }
  }
}

function exchangeOf(
  req: IncomingMessage,
  res: ServerResponse,
  sent: ReadonlyMap<string, string>,
  protocol: Exclude<RecordedProtocol, 'admin'>,
  operation: string | undefined,
  body: Buffer | 'too-large',
): RecordedExchange {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const query: Record<string, string> = {};
  if (queryStart !== -1) {
    for (const [name, value] of new URLSearchParams(target.slice(queryStart + 1))) {
      if (!/^x-amz-/i.test(name) && name !== 'AWSAccessKeyId' && name !== 'Signature') query[name] = value;
    }
  }
  const headers: Record<string, string> = {};
  for (const name of RECORDED_HEADERS) {
    const value = sent.get(name);
    if (value !== undefined) headers[name] = value;
  }
  const exchange: RecordedExchange = {
    protocol,
    ...(operation === undefined ? {} : { operation }),
    method: req.method ?? 'GET',
    path: queryStart === -1 ? target : target.slice(0, queryStart),
    query,
    requestHeaders: Object.keys(req.headers).filter((name) => name.startsWith('x-amz-')),
    status: res.statusCode,
    headers,
  };
  const type = headers['content-type'] ?? '';
  if (isPayload(exchange)) return { ...exchange, bodyOmitted: 'payload' };
  if (body === 'too-large') return { ...exchange, bodyOmitted: 'too-large' };
  if (body.length === 0) return exchange;
  if (/json/.test(type)) return { ...exchange, body: redactJson(body.toString('utf8')) };
  if (/xml/.test(type)) return { ...exchange, body: body.toString('utf8') };
  return { ...exchange, bodyOmitted: 'binary' };
}

/**
 * The response headers as sent: those set with setHeader and those passed to writeHead, which
 * `getHeader` does not see.
 */
function captureHeaders(res: ServerResponse): () => ReadonlyMap<string, string> {
  const passed = new Map<string, string>();
  const writeHead = res.writeHead.bind(res);
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    const pairs = Array.isArray(headers)
      ? pairsOf(headers)
      : Object.entries((headers ?? {}) as Record<string, unknown>);
    for (const [name, value] of pairs) passed.set(String(name).toLowerCase(), String(value));
    return (writeHead as (...args: unknown[]) => ServerResponse)(status, ...rest);
  }) as typeof res.writeHead;
  return () => {
    const sent = new Map(passed);
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !sent.has(name)) sent.set(name, String(value));
    }
    return sent;
  };
}

/** writeHead's flat `[name, value, name, value...]` form as pairs. */
function pairsOf(flat: unknown[]): Array<[unknown, unknown]> {
  const pairs: Array<[unknown, unknown]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return pairs;
}

/** Collects what is written to `res`, up to MAX_BODY_BYTES; the getter gives it once the response ended. */
function captureBody(res: ServerResponse): () => Buffer | 'too-large' {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_BODY_BYTES) return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  };
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
  return () => (size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks));
}

/**
 * Whether the body is user data: a Lambda Invoke's result, or an S3 object (a successful answer that
 * carries the object's ETag header; S3's own documents do not).
 */
function isPayload(exchange: RecordedExchange): boolean {
  if (exchange.protocol === 'lambda') return exchange.operation === 'Invoke';
  return exchange.protocol === 's3' && exchange.status < 300 && exchange.headers.etag !== undefined;
}

/** The JSON text with the values of credential members replaced (their type, a string, is kept). */
function redactJson(text: string): string {
  try {
    return JSON.stringify(
      JSON.parse(text, (key, value) => (SECRET_MEMBERS.test(key) ? redact(value) : value)),
    );
  } catch {
    return text;
  }
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return REDACTED;
  // ECS: [{ name, value }], names kept.
  if (Array.isArray(value))
    return value.map((entry) =>
      entry && typeof entry === 'object' ? { ...entry, value: REDACTED } : REDACTED,
    );
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED]));
  }
  return value;
}
