import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/**
 * A real S3 server for end-to-end tests: s3rver 3.7 on 127.0.0.1 with an ephemeral port and its own
 * temporary directory, behind a thin front that
 *  - records every request (without the Authorization header),
 *  - can answer chosen requests with an S3 error (fault injection),
 *  - implements AbortMultipartUpload and ListMultipartUploads, which s3rver lacks (it answers
 *    MethodNotAllowed / NotImplemented), on top of s3rver's own on-disk layout. An upload exists while
 *    `BUCKET/._S3rver_uploads/UPLOAD_ID/key` does; s3rver writes that file on CreateMultipartUpload and
 *    removes the directory on CompleteMultipartUpload.
 *
 * What s3rver does not do, so tests must not rely on it: SigV4 signature checks (only the access key
 * id must be known; `test` and `S3RVER` are), checksums (x-amz-checksum-* headers are ignored, and
 * `aws-chunked` bodies are stored with their framing), versioning (no VersionId ever), `-N` multipart
 * ETags (a multipart object's ETag is the MD5 of the whole object), UploadPart to an unknown upload id
 * (accepted).
 */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  /** s3rver's data directory; removed by `close()`. */
  directory: string;
  /** Environment for an S3 client or a child process: endpoint, fake keys, region. */
  env: Record<string, string>;
  /** Every request received, oldest first. */
  requests: RecordedS3Request[];
  createBucket(name: string): Promise<void>;
  /** Answers the next `times` requests matching `match` with `fault` (default: every one). */
  injectFault(match: (request: RecordedS3Request) => boolean, fault: S3Fault, times?: number): void;
  /**
   * What a bucket holds, read through the real S3 API: object keys, and keys of multipart uploads
   * still open (an orphaned upload is one that should not be there).
   */
  contents(bucket: string): Promise<{ objects: string[]; uploads: string[] }>;
  /** Holds the next `times` requests matching `match` for `ms` before serving them (a slow network). */
  injectDelay(match: (request: RecordedS3Request) => boolean, ms: number, times?: number): void;
  /** Stops the server (dropping kept-alive connections) and deletes its directory. Idempotent. */
  close(): Promise<void>;
}

export interface RecordedS3Request {
  method: string;
  /** Decoded path, `/BUCKET/KEY`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` is left out. */
  headers: Record<string, string>;
}

export interface S3Fault {
  status: number;
  code: string;
  message?: string;
}

export interface StartS3ServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
}

/** Fake keys the server accepts; never real ones. */
export const FAKE_S3_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

interface S3rverInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  configureBuckets(): Promise<void>;
  store: { putBucket(name: string): Promise<unknown> };
  logger: { close(): void };
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
interface AwsAccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
// s3rver knows one hard-coded key pair (S3RVER/S3RVER); the registry is process-wide, so adding ours once
// lets tests use the conventional fake `test` keys.
(require('s3rver/lib/models/account') as AwsAccountModule).DUMMY_ACCOUNT.createKeyPair(
  FAKE_S3_CREDENTIALS.accessKeyId,
  FAKE_S3_CREDENTIALS.secretAccessKey,
);

const UPLOADS_DIR = '._S3rver_uploads';

export async function startS3Server(options: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'codedeploy-gate-s3rver-'));
  const s3rver = new S3rver({
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  await s3rver.configureBuckets();
  const app = s3rver.callback();
  const requests: RecordedS3Request[] = [];
  const faults: Array<{ match: (r: RecordedS3Request) => boolean; fault: S3Fault; left: number }> = [];
  const delays: Array<{ match: (r: RecordedS3Request) => boolean; ms: number; left: number }> = [];

  const server = createServer((req, res) => {
    const recorded = record(req);
    requests.push(recorded);
    const fault = faults.find((f) => f.left > 0 && f.match(recorded));
    if (fault !== undefined) {
      fault.left -= 1;
      // Read the body first: answering mid-upload makes the client see a reset instead of the error.
      req.resume();
      req.on('end', () => sendError(res, fault.fault.status, fault.fault.code, fault.fault.message));
      return;
    }
    const serve = () =>
      multipartShim(directory, recorded, res).then(
        (handled) => {
          if (!handled) app(req, res);
        },
        (error: unknown) => sendError(res, 500, 'InternalError', String(error)),
      );
    const delay = delays.find((d) => d.left > 0 && d.match(recorded));
    if (delay === undefined) {
      serve();
      return;
    }
    delay.left -= 1;
    setTimeout(serve, delay.ms);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    directory,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: FAKE_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    requests,
    createBucket: async (name) => {
      await s3rver.store.putBucket(name);
    },
    injectFault: (match, fault, times = Number.POSITIVE_INFINITY) => {
      faults.push({ match, fault, left: times });
    },
    injectDelay: (match, ms, times = Number.POSITIVE_INFINITY) => {
      delays.push({ match, ms, left: times });
    },
    contents: async (bucket) => {
      const client = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: FAKE_S3_CREDENTIALS,
      });
      try {
        const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
        return {
          objects: (objects.Contents ?? []).map((o) => o.Key ?? ''),
          uploads: (uploads.Uploads ?? []).map((u) => u.Key ?? ''),
        };
      } finally {
        client.destroy();
      }
    },
    close: () => {
      closing ??= (async () => {
        // SDK clients keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        s3rver.logger.close();
        await rm(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

function record(req: IncomingMessage): RecordedS3Request {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name !== 'authorization' && value !== undefined) headers[name] = String(value);
  }
  return {
    method: req.method ?? 'GET',
    path: safeDecode(url.pathname),
    query: Object.fromEntries(url.searchParams),
    headers,
  };
}

/** Handles AbortMultipartUpload and ListMultipartUploads; false for anything else. */
async function multipartShim(
  directory: string,
  req: RecordedS3Request,
  res: ServerResponse,
): Promise<boolean> {
  const [, bucket = '', ...keyParts] = req.path.split('/');
  const isAbort = req.method === 'DELETE' && keyParts.length > 0 && 'uploadId' in req.query;
  const isList = req.method === 'GET' && keyParts.join('') === '' && 'uploads' in req.query;
  if (!isAbort && !isList) return false;
  if (bucket === '' || !existsSync(join(directory, bucket))) {
    sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    return true;
  }
  const uploadsDir = join(directory, bucket, UPLOADS_DIR);
  if (isAbort) {
    const uploadDir = join(uploadsDir, req.query.uploadId ?? '');
    if (!existsSync(join(uploadDir, 'key'))) {
      sendError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      return true;
    }
    await rm(uploadDir, { recursive: true, force: true });
    res.writeHead(204).end();
    return true;
  }
  const prefix = req.query.prefix ?? '';
  const uploads: string[] = [];
  for (const uploadId of existsSync(uploadsDir) ? await readdir(uploadsDir) : []) {
    const keyFile = join(uploadsDir, uploadId, 'key');
    // A directory without `key` is debris from a part that arrived after its upload was aborted.
    if (!existsSync(keyFile)) continue;
    const key = await readFile(keyFile, 'utf8');
    if (!key.startsWith(prefix)) continue;
    const initiated = (await stat(keyFile)).mtime.toISOString();
    uploads.push(
      `<Upload><Key>${xml(key)}</Key><UploadId>${uploadId}</UploadId><Initiated>${initiated}</Initiated>` +
        '<StorageClass>STANDARD</StorageClass></Upload>',
    );
  }
  sendXml(
    res,
    200,
    '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      `<Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      `${uploads.join('')}</ListMultipartUploadsResult>`,
  );
  return true;
}

function sendError(res: ServerResponse, status: number, code: string, message = code): void {
  sendXml(res, status, `<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error>`);
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res
    .writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(payload) })
    .end(payload);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
