import { CodeDeployClient, type CodeDeployClientConfig } from '@aws-sdk/client-codedeploy';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import {
  type AwsClientOptions,
  type AwsService,
  resolveEndpoint,
  resolveMaxAttempts,
  resolveRegion,
} from './config.js';

/**
 * Connecting may take 10 s (a firewalled endpoint would otherwise hang for minutes per attempt); a
 * socket silent for 60 s is dead. No total request timeout: big parts on slow links are legitimate.
 */
const REQUEST_HANDLER = { connectionTimeout: 10_000, socketTimeout: 60_000 };

/**
 * An S3 client for bundle uploads. With a custom endpoint (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`)
 * it uses path-style addressing, because emulators such as s3rver, MinIO or LocalStack are reached by
 * IP or `localhost`, where `bucket.host` names do not resolve.
 */
export function createS3Client(options: AwsClientOptions = {}): S3Client {
  const config: S3ClientConfig = commonConfig('s3', options);
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

/** A CodeDeploy client; `AWS_ENDPOINT_URL_CODEDEPLOY` / `AWS_ENDPOINT_URL` point it at a local CodeDeploy. */
export function createCodeDeployClient(options: AwsClientOptions = {}): CodeDeployClient {
  return new CodeDeployClient(commonConfig('codedeploy', options) satisfies CodeDeployClientConfig);
}

/** Settings shared by every client; the shape is common to all SDK v3 client configs. */
function commonConfig(service: AwsService, options: AwsClientOptions) {
  const env = options.env ?? process.env;
  const config: S3ClientConfig & CodeDeployClientConfig = {
    region: resolveRegion(options),
    maxAttempts: resolveMaxAttempts(options),
    retryMode: env.AWS_RETRY_MODE?.trim() === 'adaptive' ? 'adaptive' : 'standard',
    requestHandler: REQUEST_HANDLER,
  };
  // The SDK reads endpoint variables from process.env only; passing the endpoint explicitly makes
  // `options.env` authoritative and lets us know when path style is needed.
  const endpoint = resolveEndpoint(service, options);
  if (endpoint !== undefined) config.endpoint = endpoint.url;
  // Likewise for credentials: with an explicit environment, its static keys and profile are the ones
  // meant. Otherwise the SDK's default chain (env, SSO, profiles, web identity, container, IMDS) runs.
  if (options.env !== undefined && options.env !== process.env) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (accessKeyId && secretAccessKey) {
      const sessionToken = env.AWS_SESSION_TOKEN;
      config.credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    } else if (env.AWS_PROFILE) {
      config.profile = env.AWS_PROFILE;
    }
  }
  return config;
}
