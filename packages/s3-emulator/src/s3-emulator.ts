import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * S3 on the shared port: s3rver 3.7 (path-style only) storing buckets and objects under one folder,
 * so they survive a restart on the same state dir. Two gaps are filled here: s3rver only accepts
 * access keys it knows (any SigV4 signer's key is registered on first sight, since credentials are
 * not checked), and it lacks ListMultipartUploads and AbortMultipartUpload, answered from its on-disk
 * layout: an upload exists while `BUCKET/._S3rver_uploads/UPLOAD_ID/key` does.
 */
export interface EmbeddedS3 {
  /** Answers one S3 request (mount it on any HTTP server). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Creates a bucket directly in the store (s3rver keeps a bucket as a folder). */
  createBucket(name: string): Promise<void>;
  close(): void;
}

interface S3rverInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  logger: { close(): void };
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
interface AwsAccountModule {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
const accounts = require('s3rver/lib/models/account') as AwsAccountModule;

const UPLOADS_DIR = '._S3rver_uploads';

export function startEmbeddedS3(directory: string, log: (line: string) => void): EmbeddedS3 {
  mkdirSync(directory, { recursive: true });
  const s3rver = new S3rver({ directory, silent: true });
  const app = s3rver.callback();
  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const accessKeyId = accessKeyIdOf(req, url);
      if (accessKeyId && !accounts.registry.has(accessKeyId)) {
        // s3rver does not verify SigV4 signatures, only that it knows the key id.
        accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, accessKeyId);
      }
      multipartShim(directory, req, url, res).then(
        (handled) => {
          if (!handled) app(req, res);
        },
        (error: unknown) => {
          log(`S3 ${req.method} ${url.pathname}: ${String(error)}`);
          sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        },
      );
    },
    async createBucket(name) {
      await mkdir(join(directory, name), { recursive: true });
    },
    close() {
      s3rver.logger.close();
    },
  };
}

/** The access key id of a SigV4 request, from its Authorization header or a presigned URL. */
function accessKeyIdOf(req: IncomingMessage, url: URL): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  return fromHeader ?? url.searchParams.get('X-Amz-Credential')?.split('/')[0];
}

/** Handles AbortMultipartUpload and ListMultipartUploads; false for anything else. */
async function multipartShim(
  directory: string,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<boolean> {
  const [, bucket = '', ...keyParts] = safeDecode(url.pathname).split('/');
  const isAbort = req.method === 'DELETE' && keyParts.join('') !== '' && url.searchParams.has('uploadId');
  const isList = req.method === 'GET' && keyParts.join('') === '' && url.searchParams.has('uploads');
  if (!isAbort && !isList) return false;
  if (bucket === '' || !existsSync(join(directory, bucket))) {
    sendS3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    return true;
  }
  const uploadsDir = join(directory, bucket, UPLOADS_DIR);
  if (isAbort) {
    const uploadDir = join(uploadsDir, url.searchParams.get('uploadId') ?? '');
    if (!resolve(uploadDir).startsWith(`${resolve(uploadsDir)}/`) || !existsSync(join(uploadDir, 'key'))) {
      sendS3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      return true;
    }
    await rm(uploadDir, { recursive: true, force: true });
    res.writeHead(204).end();
    return true;
  }
  const prefix = url.searchParams.get('prefix') ?? '';
  const uploads: string[] = [];
  for (const uploadId of existsSync(uploadsDir) ? await readdir(uploadsDir) : []) {
    const keyFile = join(uploadsDir, uploadId, 'key');
    // A directory without `key` is debris from a part that arrived after its upload was aborted.
    if (!existsSync(keyFile)) continue;
    const key = await readFile(keyFile, 'utf8');
    if (!key.startsWith(prefix)) continue;
    const initiated = (await stat(keyFile)).mtime.toISOString();
    uploads.push(
      `<Upload><Key>${xml(key)}</Key><UploadId>${xml(uploadId)}</UploadId><Initiated>${initiated}</Initiated>` +
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

/** An S3 error in S3's XML shape (S3 faults are injected in it too). */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  sendXml(res, status, `<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error>`);
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
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
