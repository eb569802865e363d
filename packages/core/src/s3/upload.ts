import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  CompleteMultipartUploadCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AwsError, InvalidInputError, wrapAwsError } from '../errors/index.js';

/** S3's smallest allowed part (all parts but the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** 8 MiB parts: few requests for typical bundles, 32 MiB of buffers with 4 parts in flight. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;
const MAX_PARTS = 10_000;
/** User metadata key (`x-amz-meta-sha256`) holding the bundle's hex SHA-256. */
export const SHA256_METADATA_KEY = 'sha256';

export interface UploadProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface UploadResult {
  bucket: string;
  key: string;
  /** Without the surrounding quotes, as CodeDeploy's `s3Location.eTag` wants it. */
  eTag: string;
  /** Set when the bucket is versioned. */
  versionId?: string;
  /** False when the same bundle was already at the key and nothing was sent. */
  uploaded: boolean;
  size: number;
}

export interface UploadBundleInput {
  client: S3Client;
  /** Path of the bundle file; it is streamed, never read whole into memory. */
  file: string;
  /** Hex SHA-256 of the file, stored as `x-amz-meta-sha256` and used to skip identical uploads. */
  sha256: string;
  bucket: string;
  key: string;
  /** Bytes per part for files above it (default 8 MiB, at least 5 MiB); smaller files use one PutObject. */
  partSize?: number;
  /** Parts in flight at once (default 4). */
  queueSize?: number;
  /** Called as parts complete; not called when the upload is skipped. */
  onProgress?: (progress: UploadProgress) => void;
  /**
   * Stops the upload: requests in flight are cancelled, a started multipart upload is aborted, and the
   * promise rejects with `signal.reason` once that clean-up is done.
   */
  signal?: AbortSignal;
  /** Server-side encryption for the object; the bucket's default applies when omitted. */
  serverSideEncryption?: { algorithm: ServerSideEncryption; kmsKeyId?: string };
}

/**
 * Uploads a bundle to `s3://bucket/key`, skipping the upload when an object with the same SHA-256
 * metadata and size is already there (keys are content-addressed, see `contentAddressedKey`).
 *
 * Files up to `partSize` go up in one PutObject; larger ones as a multipart upload of `queueSize`
 * parallel parts. A failed or cancelled multipart upload is aborted before this rejects, so no parts
 * are left behind to be billed.
 */
export async function uploadBundle(input: UploadBundleInput): Promise<UploadResult> {
  const { client, file, sha256, bucket, key, signal } = input;
  const queueSize = input.queueSize ?? DEFAULT_QUEUE_SIZE;
  checkTuning(input.partSize ?? DEFAULT_PART_SIZE, queueSize);
  signal?.throwIfAborted();
  const size = await fileSize(file);
  // S3 allows 10,000 parts; past 80 GB at 8 MiB the parts have to grow.
  const partSize = Math.max(input.partSize ?? DEFAULT_PART_SIZE, Math.ceil(size / MAX_PARTS));
  const doing = `uploading bundle to s3://${bucket}/${key}`;

  let existing: HeadObjectCommandOutput | undefined;
  try {
    existing = await findSameBundle(client, bucket, key, sha256, size, signal);
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(doing, error);
  }
  if (existing !== undefined) {
    return result(bucket, key, size, false, existing.ETag, existing.VersionId);
  }

  const body = createReadStream(file);
  try {
    const upload = new Upload({
      client: cancelDataRequestsOn(client, signal),
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: size,
        Metadata: { [SHA256_METADATA_KEY]: sha256 },
        ...(input.serverSideEncryption && {
          ServerSideEncryption: input.serverSideEncryption.algorithm,
          ...(input.serverSideEncryption.kmsKeyId && { SSEKMSKeyId: input.serverSideEncryption.kmsKeyId }),
        }),
      },
      partSize,
      queueSize,
      leavePartsOnError: false,
    });
    const { onProgress } = input;
    if (onProgress !== undefined) {
      upload.on('httpUploadProgress', (p) =>
        onProgress({ bytesDone: Math.min(p.loaded ?? 0, size), bytesTotal: size }),
      );
    }
    const done = await upload.done();
    // A cancel that came while the last request was finishing still wins: the caller asked to stop.
    signal?.throwIfAborted();
    return result(bucket, key, size, true, done.ETag, done.VersionId);
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(doing, error);
  } finally {
    body.destroy();
  }
}

/**
 * The object already at the key when it holds this bundle, else `undefined`.
 *
 * 404 means upload. 403 also means upload: HeadObject needs s3:GetObject, which upload-only CI roles
 * (s3:PutObject on a prefix) often lack, and with content-addressed keys re-uploading writes the same
 * bytes. Real permission problems then surface from the upload itself.
 */
export async function findSameBundle(
  client: S3Client,
  bucket: string,
  key: string,
  sha256: string,
  size: number,
  signal: AbortSignal | undefined,
): Promise<HeadObjectCommandOutput | undefined> {
  try {
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    const same = head.Metadata?.[SHA256_METADATA_KEY] === sha256 && head.ContentLength === size;
    return same && head.ETag ? head : undefined;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

/**
 * lib-storage sends its requests without an AbortSignal and its own abort() only stops new parts:
 * parts in flight run to the end and the AbortMultipartUpload runs after done() has already rejected,
 * too late for a CLI that exits on SIGTERM. This view of the client attaches the signal to the
 * requests that carry or commit data, so they fail at once and lib-storage's failure path runs, which
 * aborts the multipart upload before done() rejects. CreateMultipartUpload and AbortMultipartUpload
 * are left alone so the upload id is always known and the clean-up is never itself cancelled.
 */
function cancelDataRequestsOn(client: S3Client, signal: AbortSignal | undefined): S3Client {
  if (signal === undefined) return client;
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property) {
      if (property !== 'send') return Reflect.get(target, property, target);
      return (command: unknown, options?: object) => {
        const cancellable =
          command instanceof UploadPartCommand ||
          command instanceof PutObjectCommand ||
          command instanceof CompleteMultipartUploadCommand;
        return send(command, cancellable ? { ...options, abortSignal: signal } : options);
      };
    },
  });
}

function result(
  bucket: string,
  key: string,
  size: number,
  uploaded: boolean,
  eTag: string | undefined,
  versionId: string | undefined,
): UploadResult {
  if (!eTag) {
    throw new AwsError(`uploading bundle to s3://${bucket}/${key}: S3 returned no ETag`, {
      hint: 'The S3 endpoint (or a proxy in front of it) drops the ETag header; CodeDeploy needs it.',
    });
  }
  return {
    bucket,
    key,
    eTag: eTag.replaceAll('"', ''),
    ...(versionId ? { versionId } : {}),
    uploaded,
    size,
  };
}

async function fileSize(file: string): Promise<number> {
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new Error('not a regular file');
    return stats.size;
  } catch (error) {
    throw new InvalidInputError(`Cannot read bundle ${file}: ${(error as Error).message}`, {
      hint: 'Build the bundle first (codedeploy-gate bundle) and pass its path.',
      cause: error,
    });
  }
}

function checkTuning(partSize: number, queueSize: number): void {
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE) {
    throw new InvalidInputError(`Part size ${partSize} is below S3's minimum of ${MIN_PART_SIZE} bytes`, {
      hint: 'Use a part size of at least 5 MiB.',
    });
  }
  if (!Number.isInteger(queueSize) || queueSize < 1) {
    throw new InvalidInputError(`Queue size ${queueSize} must be a whole number of at least 1`, {
      hint: 'It is the number of parts uploaded in parallel.',
    });
  }
}
