import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { awsClientConfig } from './clients.js';
import type { AwsClientOptions } from './config.js';

/**
 * A Lambda client for publishing versions and reading aliases; `AWS_ENDPOINT_URL_LAMBDA` /
 * `AWS_ENDPOINT_URL` point it at a local Lambda (the local CodeDeploy serves one).
 */
export function createLambdaClient(options: AwsClientOptions = {}): LambdaClient {
  return new LambdaClient(awsClientConfig('lambda', options) satisfies LambdaClientConfig);
}
