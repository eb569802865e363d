import {
  type ActionTypeId,
  type CodePipelineClient,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  type Job,
  type PipelineDeclaration,
  type PipelineExecutionStatus,
  PollForJobsCommand,
} from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { JobTimings, LocalCodeDeployOptions } from '../../src/index.js';
import { type Harness, ROLE_ARN, startHarness } from '../e2e/helpers.js';

export const SOURCE_BUCKET = 'app-sources';
export const SOURCE_KEY = 'releases/app.zip';
export const ARTIFACT_BUCKET = 'codepipeline-us-east-1-artifacts';
/** An empty zip archive: the S3 source action copies bytes, it does not look inside. */
export const SOURCE_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

export const DEPLOY_TYPE: ActionTypeId = {
  category: 'Deploy',
  owner: 'Custom',
  provider: 'GateDeploy',
  version: '1',
};

/** Job timings short enough for tests that wait for a deadline. */
export const FAST: JobTimings = { ackTimeoutMs: 300, jobTimeoutMs: 400, continuationDelayMs: 50 };
/** Deadlines no test step comes near, for tests that must not race a timer; continuations still quick. */
export const STEADY: JobTimings = {
  ackTimeoutMs: 60_000,
  jobTimeoutMs: 60_000,
  continuationDelayMs: 50,
};

/**
 * A local CodeDeploy with the pipeline fixture's buckets, source object and custom action type,
 * closed once the test ends (as every harness is).
 */
export async function startPipelineHarness(options: LocalCodeDeployOptions = {}): Promise<Harness> {
  const harness = await startHarness(options);
  await harness.s3.send(new CreateBucketCommand({ Bucket: SOURCE_BUCKET }));
  await harness.s3.send(new CreateBucketCommand({ Bucket: ARTIFACT_BUCKET }));
  await harness.s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: SOURCE_KEY, Body: SOURCE_ZIP }));
  await harness.codePipeline.send(
    new CreateCustomActionTypeCommand({
      category: 'Deploy',
      provider: 'GateDeploy',
      version: '1',
      settings: {
        entityUrlTemplate: 'https://gate.example/apps/{Config:ApplicationName}',
        executionUrlTemplate:
          'https://gate.example/apps/{Config:ApplicationName}/deployments/{ExternalExecutionId}',
      },
      configurationProperties: [
        { name: 'ApplicationName', required: true, key: true, secret: false, queryable: false },
        { name: 'DeploymentGroupName', required: true, key: true, secret: false },
        { name: 'ApiToken', required: false, key: false, secret: true },
      ],
      inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
    }),
  );
  return harness;
}

/** Source (S3) → Deploy (GateDeploy, produces DeployOutput) → Prod (GateDeploy, consumes DeployOutput). */
export function threeStagePipeline(name: string): PipelineDeclaration {
  return {
    name,
    roleArn: ROLE_ARN,
    artifactStore: { type: 'S3', location: ARTIFACT_BUCKET },
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
            configuration: {
              S3Bucket: SOURCE_BUCKET,
              S3ObjectKey: SOURCE_KEY,
              PollForSourceChanges: 'false',
            },
            outputArtifacts: [{ name: 'SourceArtifact' }],
          },
        ],
      },
      {
        name: 'Deploy',
        actions: [
          {
            name: 'DeployToStaging',
            actionTypeId: DEPLOY_TYPE,
            configuration: { ApplicationName: 'web', DeploymentGroupName: 'staging', ApiToken: 's3cr3t' },
            inputArtifacts: [{ name: 'SourceArtifact' }],
            outputArtifacts: [{ name: 'DeployOutput' }],
          },
        ],
      },
      {
        name: 'Prod',
        actions: [
          {
            name: 'DeployToProd',
            actionTypeId: DEPLOY_TYPE,
            configuration: { ApplicationName: 'web', DeploymentGroupName: 'prod' },
            inputArtifacts: [{ name: 'DeployOutput' }],
          },
        ],
      },
    ],
  };
}

export async function createThreeStagePipeline(harness: Harness, name = 'gate-pipeline'): Promise<void> {
  await harness.codePipeline.send(new CreatePipelineCommand({ pipeline: threeStagePipeline(name) }));
}

/** Polls as a job worker would (with a short sleep) until a job of the type is offered. */
export async function pollForJob(
  client: CodePipelineClient,
  actionTypeId: ActionTypeId = DEPLOY_TYPE,
  timeoutMs = 10_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { jobs } = await client.send(new PollForJobsCommand({ actionTypeId, maxBatchSize: 1 }));
    const [job] = jobs ?? [];
    if (job) return job;
    if (Date.now() > deadline) throw new Error(`no job for ${actionTypeId.provider} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function waitForExecution(
  client: CodePipelineClient,
  pipelineName: string,
  pipelineExecutionId: string,
  status: PipelineExecutionStatus,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { pipelineExecution } = await client.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId }),
    );
    if (pipelineExecution?.status === status) return;
    if (Date.now() > deadline) {
      throw new Error(`execution ${pipelineExecutionId} is ${pipelineExecution?.status}, not ${status}`);
    }
    await sleep(20);
  }
}

/** An S3 client signed with a job's artifact credentials, as a worker builds it. */
export function artifactClient(harness: Harness, job: Job): S3Client {
  const credentials = job.data?.artifactCredentials;
  return new S3Client({
    endpoint: harness.server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials?.accessKeyId ?? '',
      secretAccessKey: credentials?.secretAccessKey ?? '',
      sessionToken: credentials?.sessionToken ?? '',
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
