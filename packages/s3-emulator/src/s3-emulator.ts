import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { INVALID_BUCKET_MESSAGE } from './bucket-name.js';
import { ContainedStore } from './contained-store.js';
import { alreadyOwned, requestedRegion } from './create-bucket.js';
import { listPartsPaging, listPartsResult } from './list-parts.js';
import { refuseBody } from './request-body.js';
import { keyOf, parseTarget, routablePath } from './request-target.js';
import { accounts, S3Error, S3rver, SUBRESOURCE_PARAMS, useAroundRouter } from './s3rver-internals.js';
import { S3_XMLNS, sendS3Error, sendXml, xml } from './xml-response.js';

/**
 * S3 on the shared port: s3rver 3.7 (path-style only) storing buckets and objects under one folder,
 * so they survive a restart on the same state dir. What is filled in around it:
 * - s3rver only accepts access keys it knows: any SigV4 signer's key is registered on first sight,
 *   since credentials are not checked;
 * - its store is replaced by `ContainedStore`: no bucket name, key, upload id or part number can name
 *   a file outside the folder, and bodies stream to disk (5 GiB per PUT, S3's limit);
 * - bodies s3rver would read into memory (XML requests) are refused above 4 MiB before a byte is read;
 * - ListMultipartUploads and AbortMultipartUpload, which it lacks, are answered from its on-disk
 *   layout: an upload exists while `BUCKET/._S3rver_uploads/UPLOAD_ID/key` does.
 */
export interface EmbeddedS3 {
  /** Answers one S3 request (mount it on any HTTP server). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Creates a bucket directly in the store (a folder); throws InvalidBucketName for a name S3 refuses. */
  createBucket(name: string): Promise<void>;
  close(): void;
}

export function startEmbeddedS3(directory: string, log: (line: string) => void): EmbeddedS3 {
  mkdirSync(directory, { recursive: true });
  // Host names never name buckets: with vhostBuckets s3rver read any Host but an IP or localhost as one.
  const s3rver = new S3rver({ directory, silent: true, vhostBuckets: false });
  const store = new ContainedStore(directory);
  s3rver.store = store;
  s3rver.context.store = store;
  useAroundRouter(s3rver, inS3Namespace);
  const app = s3rver.callback();
  return {
    handle(req, res) {
      const { path, query, bucket, hasKey } = parseTarget(req.url ?? '/');
      const accessKeyId = accessKeyIdOf(req, query);
      if (accessKeyId) acceptAccessKey(accessKeyId);
      const refusal = refuseBody(req.method ?? 'GET', query, req.headers);
      if (refusal) {
        // The body is not read: close the connection after the answer rather than drain it.
        res.setHeader('connection', 'close');
        sendS3Error(res, refusal.status, refusal.code, refusal.message, refusal.detail);
        return;
      }
      if (bucket === '' && !hasKey && req.method !== 'GET' && req.method !== 'HEAD') {
        // The service itself only lists buckets (s3rver answered other methods with a plain-text 404).
        sendS3Error(
          res,
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
          {
            Method: req.method ?? '',
            ResourceType: 'SERVICE',
          },
        );
        return;
      }
      if (bucket === '' && hasKey) {
        sendS3Error(res, 400, 'InvalidBucketName', INVALID_BUCKET_MESSAGE, { BucketName: '' });
        return;
      }
      const routable = routablePath(path);
      if (routable !== path) req.url = `${routable}${(req.url ?? '').slice(path.length)}`;
      multipartShim(store, req, bucket, hasKey, query, res).then(
        (handled) => {
          if (!handled) app(req, res);
        },
        (error: unknown) => {
          if (error instanceof S3Error && error.status < 500) {
            sendS3Error(res, error.status, error.code, error.message, error.detail);
            return;
          }
          log(`S3 ${req.method} ${path}: ${String(error)}`);
          sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        },
      );
    },
    async createBucket(name) {
      await store.putBucket(name);
    },
    close() {
      s3rver.logger.close();
    },
  };
}

/**
 * Puts every result document in S3's XML namespace: s3rver gives some none (InitiateMultipartUpload,
 * CompleteMultipartUpload, CopyObject) and others `http://doc.s3.amazonaws.com/2006-03-01/`, which
 * namespace-aware XML readers do not take for S3's. Errors (`<Error>`) have no namespace, as on S3.
 */
async function inS3Namespace(ctx: { body: unknown }, next: () => Promise<void>): Promise<void> {
  await next();
  const body = ctx.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || body instanceof Readable) return;
  const roots = Object.values(body as Record<string, unknown>);
  const [root] = roots;
  if (roots.length !== 1 || root === null || typeof root !== 'object' || Array.isArray(root)) return;
  const element = root as Record<string, unknown>;
  element['@'] = { ...(element['@'] as Record<string, string> | undefined), xmlns: S3_XMLNS };
}

/** Key ids registered here, oldest first (s3rver's registry is one table for the whole process). */
const acceptedKeys = new Set<string>();
/** Clients use a handful of key ids; a flood of made-up ones must not grow the table without end. */
const MAX_ACCEPTED_KEYS = 1000;

/** s3rver does not verify SigV4 signatures, only that it knows the key id: it knows every one it sees. */
function acceptAccessKey(accessKeyId: string): void {
  if (accounts.registry.has(accessKeyId)) return;
  accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, accessKeyId);
  acceptedKeys.add(accessKeyId);
  if (acceptedKeys.size > MAX_ACCEPTED_KEYS) {
    const oldest = acceptedKeys.values().next().value as string;
    acceptedKeys.delete(oldest);
    accounts.DUMMY_ACCOUNT.revokeAccessKey(oldest);
  }
}

/** The access key id of a SigV4 request, from its Authorization header or a presigned URL. */
function accessKeyIdOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  return fromHeader ?? query.get('X-Amz-Credential')?.split('/')[0];
}

/**
 * Answers what s3rver lacks or answers unlike S3: AbortMultipartUpload, ListMultipartUploads, ListParts,
 * and CreateBucket of a bucket that exists; false for anything else (s3rver answers it).
 */
async function multipartShim(
  store: ContainedStore,
  req: IncomingMessage,
  bucket: string,
  hasKey: boolean,
  query: URLSearchParams,
  res: ServerResponse,
): Promise<boolean> {
  const isAbort = req.method === 'DELETE' && hasKey && query.has('uploadId');
  const isList = req.method === 'GET' && !hasKey && query.has('uploads');
  const isListParts = req.method === 'GET' && hasKey && query.has('uploadId');
  const isCreateBucket = req.method === 'PUT' && !hasKey && !hasSubresource(query);
  const isComplete = req.method === 'POST' && hasKey && query.has('uploadId');
  if (!isAbort && !isList && !isListParts && !isCreateBucket && !isComplete) return false;
  if (!(await store.getBucket(bucket))) {
    if (isCreateBucket) return false;
    sendS3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    return true;
  }
  if (isCreateBucket) {
    alreadyOwned(bucket, await requestedRegion(req, query));
    res.writeHead(200, { location: `/${bucket}`, 'content-length': 0 }).end();
    return true;
  }
  if (isComplete) {
    // S3 looks the upload up before it reads the part list; s3rver parses the list first and
    // answered a list it could not read (a part without ETag) with a 500 even for an unknown upload.
    await store.openUpload(bucket, query.get('uploadId') ?? '');
    return false;
  }
  if (isAbort) {
    await store.abortUpload(bucket, query.get('uploadId') ?? '');
    res.writeHead(204).end();
    return true;
  }
  if (isListParts) {
    const key = keyOf(req.url ?? '');
    const uploadId = query.get('uploadId') ?? '';
    const paging = listPartsPaging(query);
    const parts = await store.listParts(bucket, key, uploadId);
    sendXml(res, 200, listPartsResult({ bucket, key, uploadId, ...paging }, parts));
    return true;
  }
  const prefix = query.get('prefix') ?? '';
  const uploads = (await store.listUploads(bucket, prefix)).map(
    ({ key, uploadId, initiated }) =>
      `<Upload><Key>${xml(key)}</Key><UploadId>${xml(uploadId)}</UploadId>` +
      `<Initiated>${initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
  );
  sendXml(
    res,
    200,
    `<ListMultipartUploadsResult xmlns="${S3_XMLNS}">` +
      `<Bucket>${xml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      `<Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      `${uploads.join('')}</ListMultipartUploadsResult>`,
  );
  return true;
}

/** Whether the query names a subresource (`?cors`, `?tagging`...) rather than the bucket or object itself. */
function hasSubresource(query: URLSearchParams): boolean {
  for (const name of query.keys()) if (SUBRESOURCE_PARAMS.has(name)) return true;
  return false;
}
