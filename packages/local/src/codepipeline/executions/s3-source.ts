import {
  CopyObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  NotFound,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface SourceObject {
  bucket: string;
  key: string;
}

/** What the S3 source action records about the object it fetched. */
export interface FetchedSource {
  /** The object's version id when the bucket keeps versions, else its ETag. */
  revisionId: string;
  eTag: string;
  lastModified: Date | undefined;
  /** The `codepipeline-artifact-revision-summary` metadata the uploader set, if any. */
  revisionSummary: string | undefined;
}

/** The S3 source action could not fetch its object: the action fails with this message. */
export class SourceUnavailableError extends Error {}

/**
 * The S3 source action: copies the configured object into the artifact store under the output
 * artifact's key, through this server's own S3 endpoint.
 */
export async function fetchS3Source(
  s3: S3Client,
  source: SourceObject,
  artifact: SourceObject,
  signal: AbortSignal,
): Promise<FetchedSource> {
  let head: HeadObjectCommandOutput;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }), {
      abortSignal: signal,
    });
  } catch (error) {
    if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') {
      throw new SourceUnavailableError(
        `The object with key '${source.key}' does not exist in bucket '${source.bucket}', or the bucket does not exist.`,
      );
    }
    throw error;
  }
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: artifact.bucket,
        Key: artifact.key,
        CopySource: `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`,
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucket') {
      throw new SourceUnavailableError(`The artifact store bucket '${artifact.bucket}' does not exist.`);
    }
    throw error;
  }
  const eTag = (head.ETag ?? '').replaceAll('"', '');
  return {
    revisionId: head.VersionId ?? eTag,
    eTag,
    lastModified: head.LastModified,
    revisionSummary: head.Metadata?.['codepipeline-artifact-revision-summary'],
  };
}
