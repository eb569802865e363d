import { ECSClient, type ECSClientConfig } from '@aws-sdk/client-ecs';
import { awsClientConfig } from './clients.js';
import type { AwsClientOptions } from './config.js';

/**
 * An ECS client for reading services and registering task definitions; `AWS_ENDPOINT_URL_ECS` /
 * `AWS_ENDPOINT_URL` point it at a local ECS (the local CodeDeploy serves one).
 */
export function createEcsClient(options: AwsClientOptions = {}): ECSClient {
  return new ECSClient(awsClientConfig('ecs', options) satisfies ECSClientConfig);
}
