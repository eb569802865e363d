import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BundleFormat, BundleResult } from '../bundle/index.js';
import { wrapAwsError } from '../errors/index.js';
import { contentAddressedKey, findSameBundle, parseS3Url } from '../s3/index.js';
import { type BundleListing, listTarBundle, listZipBundle } from './bundle-entries.js';
import type { PlannedRevision } from './model.js';

/**
 * The revision section for a folder: the bundle `push` would build (same scan, same deterministic
 * bytes, so the same sha256), the content-addressed key it would go to, and whether that exact bundle
 * is there already. One HeadObject; nothing is uploaded or registered.
 */
export async function checkFolderRevision(
  bundle: BundleResult,
  s3Location: string,
  application: string,
  s3: S3Client,
  signal: AbortSignal | undefined,
): Promise<PlannedRevision> {
  const target = parseS3Url(s3Location);
  const key = contentAddressedKey(target.key, bundle.sha256, bundle.format, application);
  const location = `s3://${target.bucket}/${key}`;
  let existing: Awaited<ReturnType<typeof findSameBundle>>;
  try {
    existing = await findSameBundle(s3, target.bucket, key, bundle.sha256, bundle.size, signal);
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`looking for ${location}`, error);
  }
  return {
    kind: 'folder',
    location,
    bundleType: bundle.format,
    sha256: bundle.sha256,
    size: bundle.size,
    files: bundle.files,
    alreadyInS3: existing !== undefined,
  };
}

/** The listing of a bundle file on disk, read as a live bundle is (central directory, or one pass). */
export async function listLocalBundle(file: string, format: BundleFormat): Promise<BundleListing> {
  if (format !== 'zip') return listTarBundle(file, createReadStream(file), format === 'tgz');
  const handle = await open(file, 'r');
  try {
    return await listZipBundle(file, handle, (await handle.stat()).size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}
