import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { wrapAwsError } from '../errors/index.js';
import {
  encryptionParams,
  findSameBundle,
  headObjectIfReadable,
  SHA256_METADATA_KEY,
  type UploadBundleInput,
  type UploadResult,
  uploadResult,
} from './upload.js';
import { type BundleExtension, contentAddressedKey, fingerprintKey } from './url.js';

/** User metadata key (`x-amz-meta-fingerprint`) holding the tree fingerprint a bundle was built from. */
export const FINGERPRINT_METADATA_KEY = 'fingerprint';

export interface FingerprintLocation {
  client: S3Client;
  bucket: string;
  /** The push's key prefix (the PREFIX of `s3://BUCKET/PREFIX`). */
  prefix: string;
  /** The name in the keys (the application). */
  name: string;
  format: BundleExtension;
  fingerprint: string;
  signal?: AbortSignal;
}

/** A bundle found in S3 by fingerprint: where it is, and its SHA-256. */
export interface FoundBundle {
  upload: UploadResult;
  sha256: string;
}

/**
 * The bundle an earlier push built from a tree with this fingerprint, when both its pointer
 * (`fingerprintKey`) and the bundle itself are still in S3, else `undefined`. Two HeadObjects, no
 * download: the bundle's key, size, ETag and version come from the second one, its SHA-256 from the
 * pointer, checked against the bundle's own `sha256` metadata. As for uploads, 403 and 404 mean
 * "not found" (the bundle is then built and uploaded as on a first push).
 */
export async function findBundleByFingerprint(where: FingerprintLocation): Promise<FoundBundle | undefined> {
  const { client, bucket, signal } = where;
  const pointerKey = fingerprintKey(where.prefix, where.fingerprint, where.name);
  try {
    const pointer = await headObjectIfReadable(client, bucket, pointerKey, signal);
    const sha256 = pointer?.Metadata?.[SHA256_METADATA_KEY];
    if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    const key = contentAddressedKey(where.prefix, sha256, where.format, where.name);
    const bundle = await findSameBundle(client, bucket, key, sha256, undefined, signal);
    if (bundle === undefined || bundle.ContentLength === undefined) return undefined;
    const upload = uploadResult(bucket, key, bundle.ContentLength, false, bundle.ETag, bundle.VersionId);
    return { upload, sha256 };
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`looking up the bundle of fingerprint ${where.fingerprint.slice(0, 12)}`, error);
  }
}

/**
 * Writes the pointer from the fingerprint to the bundle SHA256 just uploaded, so that the next push
 * of the same tree finds it without building it. An empty object, encrypted like the bundle.
 */
export async function recordFingerprint(
  where: FingerprintLocation & {
    sha256: string;
    serverSideEncryption?: UploadBundleInput['serverSideEncryption'];
  },
): Promise<void> {
  const { client, bucket, signal } = where;
  const key = fingerprintKey(where.prefix, where.fingerprint, where.name);
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: '',
        ContentLength: 0,
        Metadata: { [SHA256_METADATA_KEY]: where.sha256 },
        ...encryptionParams(where.serverSideEncryption),
      }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`recording the fingerprint of s3://${bucket}/${key}`, error);
  }
}
