import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { closeAtEnd } from '@codedeploy-gate/test-support';
import { type LocalCodeDeploy, type LocalCodeDeployOptions, startLocalCodeDeploy } from '../../src/index.js';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/CodeDeployServiceRole';

export interface Harness {
  server: LocalCodeDeploy;
  codeDeploy: CodeDeployClient;
  codePipeline: CodePipelineClient;
  s3: S3Client;
  lambda: LambdaClient;
  ecs: ECSClient;
  close(): Promise<void>;
}

/**
 * A local CodeDeploy (with CodePipeline, Lambda, ECS and S3) with the real SDK clients pointed at it,
 * as a user's code would be. Closed at the end of the test that started it (of the file, when started
 * in `beforeAll`) if the test did not close it, even when the test failed or timed out.
 */
export async function startHarness(
  options: LocalCodeDeployOptions = {},
  clientOptions: { maxAttempts?: number } = {},
): Promise<Harness> {
  const server = await startLocalCodeDeploy(options);
  const codeDeploy = new CodeDeployClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    ...clientOptions,
  });
  const codePipeline = new CodePipelineClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    ...clientOptions,
  });
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    ...clientOptions,
  });
  const ecs = new ECSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    ...clientOptions,
  });
  const harness: Harness = {
    server,
    codeDeploy,
    codePipeline,
    s3,
    lambda,
    ecs,
    close: async () => {
      codeDeploy.destroy();
      codePipeline.destroy();
      s3.destroy();
      lambda.destroy();
      ecs.destroy();
      await server.close();
    },
  };
  return closeAtEnd(harness);
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { attempts?: number; httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
