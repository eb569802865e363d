import { Readable } from 'node:stream';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isGateError, wrapAwsError } from '../errors/index.js';
import { type BundleListing, listTarBundle, listZipBundle } from './bundle-entries.js';
import { S3RangeSource } from './s3-range-source.js';

/** Where a revision lives, in words (`s3://bucket/key`, `owner/repo@sha`). */
export function describeLocation(revision: RevisionLocation | undefined): string {
  const s3 = revision?.s3Location;
  if (s3?.bucket && s3.key)
    return `s3://${s3.bucket}/${s3.key}${s3.version ? `?versionId=${s3.version}` : ''}`;
  const github = revision?.gitHubLocation;
  if (github?.repository) return `${github.repository}@${github.commitId ?? '?'}`;
  if (revision?.revisionType) return `${revision.revisionType} revision`;
  return 'unknown revision';
}

export interface S3BundleLocation {
  bucket: string;
  key: string;
  version?: string | undefined;
  bundleType?: string | undefined;
}

export interface S3BundleListing {
  listing: BundleListing;
  size: number;
  /** Bytes read from S3 so far, including scripts hashed after the listing. */
  bytesDownloaded(): number;
}

/**
 * The entries of an S3 bundle without downloading it: a zip's central directory by range requests;
 * a tar or tgz by one streamed pass (tar has no index, so every byte passes by once).
 */
export async function listS3Bundle(
  s3: S3Client,
  location: S3BundleLocation,
  signal: AbortSignal | undefined,
): Promise<S3BundleListing> {
  const url = `s3://${location.bucket}/${location.key}`;
  const object = {
    Bucket: location.bucket,
    Key: location.key,
    ...(location.version ? { VersionId: location.version } : {}),
  };
  const send = signal ? { abortSignal: signal } : {};
  try {
    const head = await s3.send(new HeadObjectCommand(object), send);
    const size = head.ContentLength ?? 0;
    if (location.bundleType === 'tar' || location.bundleType === 'tgz') {
      const answer = await s3.send(new GetObjectCommand(object), send);
      let downloaded = 0;
      // Counted as the scan pulls it: a 'data' listener would switch the body to flowing mode under
      // the scan's own reads.
      async function* counted(body: AsyncIterable<Buffer>) {
        for await (const chunk of body) {
          downloaded += chunk.length;
          yield chunk;
        }
      }
      const body = Readable.from(counted(answer.Body as Readable));
      const listing = await listTarBundle(url, body, location.bundleType === 'tgz');
      return { listing, size, bytesDownloaded: () => downloaded };
    }
    const source = new S3RangeSource(
      s3,
      { bucket: location.bucket, key: location.key, versionId: location.version, size },
      signal,
    );
    const listing = await listZipBundle(url, source, size);
    return { listing, size, bytesDownloaded: () => source.bytesDownloaded };
  } catch (error) {
    signal?.throwIfAborted();
    if (isGateError(error)) throw error;
    throw wrapAwsError(`reading the bundle ${url}`, error);
  }
}
