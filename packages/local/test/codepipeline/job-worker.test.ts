import {
  AcknowledgeJobCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_BUCKET,
  artifactClient,
  createThreeStagePipeline,
  DEPLOY_TYPE,
  pollForJob,
  SOURCE_BUCKET,
  SOURCE_KEY,
  SOURCE_ZIP,
  STEADY,
  startPipelineHarness,
  waitForExecution,
} from './fixture.js';

describe('a job worker driving a pipeline', () => {
  it('runs S3 source → custom Deploy (with a continuation) → third stage, and reports it all as AWS does', async () => {
    const harness = await startPipelineHarness({ pipelines: STEADY });
    const { codePipeline, s3 } = harness;
    await createThreeStagePipeline(harness);
    const { pipelineExecutionId } = await codePipeline.send(
      new StartPipelineExecutionCommand({ name: 'gate-pipeline' }),
    );

    const first = await pollForJob(codePipeline);
    const data = first.data!;
    expect(first.accountId).toBe('111122223333');
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(data.actionTypeId).toEqual(DEPLOY_TYPE);
    expect(data.actionConfiguration?.configuration).toEqual({
      ApplicationName: 'web',
      DeploymentGroupName: 'staging',
      ApiToken: 's3cr3t',
    });
    expect(data.pipelineContext).toEqual({
      pipelineName: 'gate-pipeline',
      stage: { name: 'Deploy' },
      action: { name: 'DeployToStaging', actionExecutionId: expect.any(String) },
      pipelineArn: 'arn:aws:codepipeline:us-east-1:111122223333:gate-pipeline',
      pipelineExecutionId,
    });
    expect(data.continuationToken).toBeUndefined();
    expect(data.artifactCredentials?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    const [input] = data.inputArtifacts ?? [];
    const head = await s3.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: SOURCE_KEY }));
    expect(input).toEqual({
      name: 'SourceArtifact',
      revision: head.ETag?.replaceAll('"', ''),
      location: {
        type: 'S3',
        s3Location: {
          bucketName: ARTIFACT_BUCKET,
          objectKey: expect.stringMatching(/^gate-pipeline\/SourceArti\/[A-Za-z0-9]{7}$/),
        },
      },
    });
    const [output] = data.outputArtifacts ?? [];
    expect(output?.location?.s3Location?.objectKey).toMatch(/^gate-pipeline\/DeployOutp\/[A-Za-z0-9]{7}$/);

    // The worker reads its input and writes its output with the job's own credentials.
    const artifacts = artifactClient(harness, first);
    const downloaded = await artifacts.send(
      new GetObjectCommand({
        Bucket: input?.location?.s3Location?.bucketName,
        Key: input?.location?.s3Location?.objectKey,
      }),
    );
    expect(Buffer.from(await downloaded.Body!.transformToByteArray())).toEqual(SOURCE_ZIP);

    expect(
      await codePipeline.send(new AcknowledgeJobCommand({ jobId: first.id, nonce: first.nonce })),
    ).toMatchObject({
      status: 'InProgress',
    });
    expect(
      await codePipeline.send(new AcknowledgeJobCommand({ jobId: first.id, nonce: first.nonce })),
    ).toMatchObject({
      status: 'InProgress',
    });
    await codePipeline.send(
      new PutJobSuccessResultCommand({
        jobId: first.id,
        continuationToken: 'd-STAGING1',
        executionDetails: {
          summary: 'Deploying to 3 instances',
          externalExecutionId: 'd-STAGING1',
          percentComplete: 40,
        },
      }),
    );

    const midway = await codePipeline.send(new GetPipelineStateCommand({ name: 'gate-pipeline' }));
    const [source, deploy, prod] = midway.stageStates ?? [];
    expect(source?.latestExecution).toEqual({ pipelineExecutionId, status: 'Succeeded' });
    expect(source?.inboundTransitionState).toBeUndefined();
    expect(source?.actionStates?.[0]).toMatchObject({
      actionName: 'Source',
      entityUrl: 'https://console.aws.amazon.com/s3/home?#',
      latestExecution: { status: 'Succeeded' },
    });
    expect(deploy?.latestExecution).toEqual({ pipelineExecutionId, status: 'InProgress' });
    expect(deploy?.inboundTransitionState).toEqual({ enabled: true });
    expect(deploy?.actionStates?.[0]).toMatchObject({
      actionName: 'DeployToStaging',
      entityUrl: 'https://gate.example/apps/web',
      latestExecution: {
        status: 'InProgress',
        summary: 'Deploying to 3 instances',
        percentComplete: 40,
        externalExecutionId: 'd-STAGING1',
        externalExecutionUrl: 'https://gate.example/apps/web/deployments/d-STAGING1',
        lastStatusChange: expect.any(Date),
      },
    });
    expect(prod?.latestExecution).toBeUndefined();

    const second = await pollForJob(codePipeline);
    expect(second.id).not.toBe(first.id);
    expect(second.nonce).toBeDefined();
    expect(second.data?.continuationToken).toBe('d-STAGING1');
    expect(second.data?.pipelineContext?.action?.actionExecutionId).toBe(
      data.pipelineContext?.action?.actionExecutionId,
    );
    expect(second.data?.outputArtifacts).toEqual(data.outputArtifacts);
    expect(second.data?.artifactCredentials?.secretAccessKey).not.toBe(
      data.artifactCredentials?.secretAccessKey,
    );
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: second.id, nonce: second.nonce }));
    await artifactClient(harness, second).send(
      new PutObjectCommand({
        Bucket: output?.location?.s3Location?.bucketName,
        Key: output?.location?.s3Location?.objectKey,
        Body: 'deployment report',
      }),
    );
    await codePipeline.send(
      new PutJobSuccessResultCommand({
        jobId: second.id,
        executionDetails: { summary: 'Deployed', externalExecutionId: 'd-STAGING1', percentComplete: 100 },
        outputVariables: { DeploymentId: 'd-STAGING1' },
      }),
    );

    const third = await pollForJob(codePipeline);
    expect(third.data?.pipelineContext?.stage?.name).toBe('Prod');
    expect(third.data?.inputArtifacts).toEqual([{ name: 'DeployOutput', location: output?.location }]);
    expect(third.data?.actionConfiguration?.configuration).toEqual({
      ApplicationName: 'web',
      DeploymentGroupName: 'prod',
    });
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: third.id, nonce: third.nonce }));
    await codePipeline.send(new PutJobSuccessResultCommand({ jobId: third.id }));
    await waitForExecution(codePipeline, 'gate-pipeline', pipelineExecutionId!, 'Succeeded');

    const { pipelineExecution } = await codePipeline.send(
      new GetPipelineExecutionCommand({ pipelineName: 'gate-pipeline', pipelineExecutionId }),
    );
    expect(pipelineExecution).toMatchObject({
      pipelineName: 'gate-pipeline',
      pipelineVersion: 1,
      status: 'Succeeded',
      artifactRevisions: [
        { name: 'SourceArtifact', revisionId: head.ETag?.replaceAll('"', ''), created: expect.any(Date) },
      ],
      trigger: { triggerType: 'StartPipelineExecution' },
    });
    const { pipelineExecutionSummaries } = await codePipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: 'gate-pipeline' }),
    );
    expect(pipelineExecutionSummaries).toEqual([
      expect.objectContaining({
        pipelineExecutionId,
        status: 'Succeeded',
        startTime: expect.any(Date),
        sourceRevisions: [{ actionName: 'Source', revisionId: head.ETag?.replaceAll('"', '') }],
      }),
    ]);

    const { actionExecutionDetails } = await codePipeline.send(
      new ListActionExecutionsCommand({ pipelineName: 'gate-pipeline', filter: { pipelineExecutionId } }),
    );
    expect(
      actionExecutionDetails?.map((detail) => [detail.stageName, detail.actionName, detail.status]),
    ).toEqual([
      ['Prod', 'DeployToProd', 'Succeeded'],
      ['Deploy', 'DeployToStaging', 'Succeeded'],
      ['Source', 'Source', 'Succeeded'],
    ]);
    const staging = actionExecutionDetails?.[1];
    expect(staging?.input).toMatchObject({
      actionTypeId: DEPLOY_TYPE,
      configuration: { ApplicationName: 'web', DeploymentGroupName: 'staging', ApiToken: '****' },
      inputArtifacts: [
        {
          name: 'SourceArtifact',
          s3location: { bucket: ARTIFACT_BUCKET, key: input?.location?.s3Location?.objectKey },
        },
      ],
    });
    expect(staging?.output).toEqual({
      executionResult: {
        externalExecutionId: 'd-STAGING1',
        externalExecutionSummary: 'Deployed',
        externalExecutionUrl: 'https://gate.example/apps/web/deployments/d-STAGING1',
      },
      outputVariables: { DeploymentId: 'd-STAGING1' },
      outputArtifacts: [
        {
          name: 'DeployOutput',
          s3location: { bucket: ARTIFACT_BUCKET, key: output?.location?.s3Location?.objectKey },
        },
      ],
    });
    // One action execution for the Deploy action, but two jobs behind it: the server keeps both.
    const jobs = Object.values(harness.server.store.state.codePipeline.jobs);
    expect(
      jobs.map((job) => [job.data.pipelineContext?.stage?.name, job.status, job.data.continuationToken]),
    ).toEqual([
      ['Deploy', 'Succeeded', undefined],
      ['Deploy', 'Succeeded', 'd-STAGING1'],
      ['Prod', 'Succeeded', undefined],
    ]);
  });

  it('fails the action, the stage and the execution on PutJobFailureResult; the third stage never runs', async () => {
    const harness = await startPipelineHarness({ pipelines: STEADY });
    const { codePipeline } = harness;
    await createThreeStagePipeline(harness);
    const { pipelineExecutionId } = await codePipeline.send(
      new StartPipelineExecutionCommand({ name: 'gate-pipeline' }),
    );
    const job = await pollForJob(codePipeline);
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
    await codePipeline.send(
      new PutJobFailureResultCommand({
        jobId: job.id,
        failureDetails: {
          type: 'JobFailed',
          message: 'Deployment d-BAD failed: 2 of 3 instances failed',
          externalExecutionId: 'd-BAD',
        },
      }),
    );

    const { pipelineExecution } = await codePipeline.send(
      new GetPipelineExecutionCommand({ pipelineName: 'gate-pipeline', pipelineExecutionId }),
    );
    expect(pipelineExecution?.status).toBe('Failed');
    const { stageStates } = await codePipeline.send(new GetPipelineStateCommand({ name: 'gate-pipeline' }));
    expect(stageStates?.map((stage) => stage.latestExecution?.status)).toEqual([
      'Succeeded',
      'Failed',
      undefined,
    ]);
    expect(stageStates?.[1]?.actionStates?.[0]?.latestExecution).toMatchObject({
      status: 'Failed',
      externalExecutionId: 'd-BAD',
      externalExecutionUrl: 'https://gate.example/apps/web/deployments/d-BAD',
      errorDetails: { code: 'JobFailed', message: 'Deployment d-BAD failed: 2 of 3 instances failed' },
    });
    expect(stageStates?.[2]?.actionStates?.[0]?.latestExecution).toBeUndefined();
    const { actionExecutionDetails } = await codePipeline.send(
      new ListActionExecutionsCommand({ pipelineName: 'gate-pipeline' }),
    );
    expect(actionExecutionDetails?.map((detail) => detail.actionName)).toEqual(['DeployToStaging', 'Source']);
    const { jobs } = await codePipeline.send(
      new PollForJobsCommand({ actionTypeId: DEPLOY_TYPE, maxBatchSize: 10 }),
    );
    expect(jobs).toEqual([]);
  });

  it('fails the source action and the execution when the source object is missing', async () => {
    const harness = await startPipelineHarness({ pipelines: STEADY });
    const { codePipeline } = harness;
    await createThreeStagePipeline(harness);
    await harness.s3.send(
      new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: 'other.zip', Body: SOURCE_ZIP }),
    );
    await harness.s3.send(new DeleteObjectCommand({ Bucket: SOURCE_BUCKET, Key: SOURCE_KEY }));
    const { pipelineExecutionId } = await codePipeline.send(
      new StartPipelineExecutionCommand({ name: 'gate-pipeline' }),
    );
    await waitForExecution(codePipeline, 'gate-pipeline', pipelineExecutionId!, 'Failed');
    const { stageStates } = await codePipeline.send(new GetPipelineStateCommand({ name: 'gate-pipeline' }));
    expect(stageStates?.map((stage) => stage.latestExecution?.status)).toEqual([
      'Failed',
      undefined,
      undefined,
    ]);
    expect(stageStates?.[0]?.actionStates?.[0]?.latestExecution?.errorDetails).toEqual({
      code: 'JobFailed',
      message: `The object with key '${SOURCE_KEY}' does not exist in bucket '${SOURCE_BUCKET}', or the bucket does not exist.`,
    });
    const { jobs } = await codePipeline.send(new PollForJobsCommand({ actionTypeId: DEPLOY_TYPE }));
    expect(jobs).toEqual([]);
  });
});
