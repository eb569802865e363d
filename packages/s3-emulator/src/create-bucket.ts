import type { IncomingMessage } from 'node:http';
import { S3Error } from './s3rver-internals.js';

/** A CreateBucketConfiguration is a few hundred bytes; more than this is not one. */
const MAX_CONFIGURATION_BYTES = 64 * 1024;
/** The region S3 assumes when a request names none (and the one without a LocationConstraint). */
const DEFAULT_REGION = 'us-east-1';

/**
 * The region a CreateBucket asks for: its CreateBucketConfiguration's LocationConstraint, else the
 * region its SigV4 credential scope names, else us-east-1. Reads the body (at most 64 KiB).
 */
export async function requestedRegion(req: IncomingMessage, query: URLSearchParams): Promise<string> {
  const body = await readSmallBody(req);
  const constraint = /<LocationConstraint>\s*([^<\s]*)\s*<\/LocationConstraint>/.exec(body)?.[1];
  if (constraint) return constraint;
  const scope =
    /Credential=[^/,\s]+\/[0-9]{8}\/([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1] ??
    query.get('X-Amz-Credential')?.split('/')[2];
  return scope || DEFAULT_REGION;
}

/**
 * CreateBucket of a bucket that exists (every bucket here is the caller's): S3 answers 200 in
 * us-east-1, for compatibility with its first region, and BucketAlreadyOwnedByYou everywhere else.
 */
export function alreadyOwned(bucket: string, region: string): void {
  if (region === DEFAULT_REGION) return;
  throw new S3Error(
    'BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.',
    { BucketName: bucket },
  );
}

async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONFIGURATION_BYTES) {
      throw new S3Error(
        'MaxMessageLengthExceeded',
        `Your request was too big: a CreateBucketConfiguration carries at most ${MAX_CONFIGURATION_BYTES} bytes.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
