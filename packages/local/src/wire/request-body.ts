import type { IncomingMessage, ServerResponse } from 'node:http';

const MiB = 1024 * 1024;

/** Who a request body is for: a service on the shared port, or the admin endpoint under `/__local/`. */
export type BodyLimitScope = 'codedeploy' | 'codepipeline' | 'ecs' | 'lambda' | 'admin';

interface BodyLimits {
  /** The limit of every operation not named below. */
  default: number;
  operations?: ReadonlyMap<string, number>;
}

/**
 * The largest request body each service takes, in bytes: AWS's own limits where AWS documents or
 * reports them, a few MiB elsewhere (far above any real request to these APIs: an ECS task definition
 * is at most 64 KiB, a pipeline declaration a few hundred KiB).
 *
 * - Lambda CreateFunction / UpdateFunctionCode: 69905067 bytes, the 50 MB zip upload quota once
 *   base64-encoded, as Lambda's RequestEntityTooLargeException states it.
 * - Lambda Invoke: 6291456 bytes (6 MiB), the synchronous invocation payload quota.
 */
export const REQUEST_BODY_LIMITS: Readonly<Record<BodyLimitScope, BodyLimits>> = {
  codedeploy: { default: 4 * MiB },
  codepipeline: { default: 4 * MiB },
  ecs: { default: 4 * MiB },
  lambda: {
    default: 6 * MiB,
    operations: new Map([
      ['CreateFunction', 69_905_067],
      ['UpdateFunctionCode', 69_905_067],
      ['Invoke', 6 * MiB],
    ]),
  },
  admin: { default: 4 * MiB },
};

/** The body limit of one operation (`PUT /__local/compute` is the admin scope's only big body). */
export function requestBodyLimit(scope: BodyLimitScope, operation: string): number {
  const limits = REQUEST_BODY_LIMITS[scope];
  return limits.operations?.get(operation) ?? limits.default;
}

/**
 * A body over its limit. The server answers 413 in the service's own shape (AWS's words: "Request must
 * be smaller than N bytes for the X operation") and closes the connection.
 */
export class RequestBodyTooLargeError extends Error {
  override name = 'RequestBodyTooLargeError';

  constructor(
    readonly limit: number,
    readonly operation: string,
  ) {
    super(`Request must be smaller than ${limit} bytes for the ${operation} operation`);
  }
}

/**
 * How much more of a refused body is read and thrown away once the 413 answer is out, before the
 * connection is cut: enough for a client still uploading to read the answer (closing on unread data
 * makes the kernel reset the connection, and the client may lose the answer), never the whole of an
 * endless body.
 */
const DISCARD_ALLOWANCE = 8 * MiB;
/**
 * The most a refused body is read in all: counting only after the answer is written lets a busy server
 * (which may take a while to write it) still deliver it, and this bounds the reading meanwhile.
 */
const DISCARD_CAP = 64 * MiB;

/**
 * Reads a request body of at most `limit` bytes. A Content-Length over the limit is refused before
 * anything is read; a body without one (chunked) is counted as it arrives and refused the moment it
 * passes the limit. Either way only the bytes up to the limit are ever held, the answer is marked
 * `Connection: close`, and what the client still sends is discarded up to an allowance, then the
 * connection is cut. Throws RequestBodyTooLargeError for the caller to answer in its service's shape.
 */
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  operation: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    const refuse = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      res.setHeader('connection', 'close');
      discardRest(req, res);
      reject(new RequestBodyTooLargeError(limit, operation));
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      refuse();
      return;
    }
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}

/** Throws away what the client still sends of a refused body, then cuts the connection. */
function discardRest(req: IncomingMessage, res: ServerResponse): void {
  let discarded = 0;
  let sinceAnswer = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (res.writableFinished) sinceAnswer += chunk.length;
    if (sinceAnswer > DISCARD_ALLOWANCE || discarded > DISCARD_CAP) req.socket.destroy();
  });
  req.resume();
}
