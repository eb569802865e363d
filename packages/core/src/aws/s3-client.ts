import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { awsClientConfig } from './clients.js';
import type { AwsClientOptions } from './config.js';

/**
 * An S3 client for bundle uploads. With a custom endpoint (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`)
 * it uses path-style addressing, because emulators such as s3rver, MinIO or LocalStack are reached by
 * IP or `localhost`, where `bucket.host` names do not resolve.
 */
export function createS3Client(options: AwsClientOptions = {}): S3Client {
  const config: S3ClientConfig = awsClientConfig('s3', options);
  if (config.endpoint !== undefined) {
    config.forcePathStyle = true;
    // Since 3.729 the SDK adds a CRC32 checksum to every upload and sends streamed bodies as
    // `aws-chunked` with a trailing checksum. Emulators that predate this (s3rver 3.7 among them) store
    // the chunk framing as object data: a 1000-byte file came back as 1043 bytes. Checksums only where
    // the operation requires them keeps emulators correct; real AWS keeps the SDK default.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  } else {
    // A bucket in another region than --region answers 301; following it beats failing on a redirect.
    config.followRegionRedirects = true;
  }
  return new S3Client(config);
}
