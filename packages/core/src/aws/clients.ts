import { CodeDeployClient, type CodeDeployClientConfig } from '@aws-sdk/client-codedeploy';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import {
  type AwsClientOptions,
  type AwsService,
  resolveEndpoint,
  resolveMaxAttempts,
  resolveRegion,
} from './config.js';
import { awsHttpConfig } from './http-handler.js';

/** A CodeDeploy client; `AWS_ENDPOINT_URL_CODEDEPLOY` / `AWS_ENDPOINT_URL` point it at a local CodeDeploy. */
export function createCodeDeployClient(options: AwsClientOptions = {}): CodeDeployClient {
  return new CodeDeployClient(awsClientConfig('codedeploy', options) satisfies CodeDeployClientConfig);
}

/**
 * Settings shared by every client (region, retries, timeouts and proxy, endpoint, credentials); the shape is
 * common to all SDK v3 client configs, so a front end can build a client for another service with it
 * (the CodePipeline worker: `new CodePipelineClient(awsClientConfig('codepipeline', options))`).
 */
export function awsClientConfig(service: AwsService, options: AwsClientOptions) {
  const env = options.env ?? process.env;
  const config: S3ClientConfig & CodeDeployClientConfig = {
    region: resolveRegion(options),
    maxAttempts: resolveMaxAttempts(options),
    retryMode: env.AWS_RETRY_MODE?.trim() === 'adaptive' ? 'adaptive' : 'standard',
    ...awsHttpConfig(env),
  };
  // The SDK reads endpoint variables from process.env only; passing the endpoint explicitly makes
  // `options.env` authoritative and lets us know when path style is needed.
  const endpoint = resolveEndpoint(service, options);
  if (endpoint !== undefined) config.endpoint = endpoint.url;
  // Likewise for credentials: `--profile`, or with an explicit environment its static keys and profile,
  // are the ones meant. Otherwise the SDK's default chain (env, SSO, profiles, web identity, container,
  // IMDS) runs; a profile set here reaches that chain too (credential_process, role_arn, sso_*).
  if (options.credentials !== undefined) {
    config.credentials = options.credentials;
  } else if (options.profile !== undefined) {
    config.profile = options.profile;
  } else if (options.env !== undefined && options.env !== process.env) {
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
