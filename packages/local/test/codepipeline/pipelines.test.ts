import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AcknowledgeJobCommand,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetPipelineCommand,
  GetPipelineStateCommand,
  InvalidActionDeclarationException,
  InvalidStructureException,
  ListActionTypesCommand,
  ListPipelinesCommand,
  type PipelineDeclaration,
  PipelineNameInUseException,
  PipelineNotFoundException,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
  ValidationException,
} from '@aws-sdk/client-codepipeline';
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf, startHarness } from '../e2e/helpers.js';
import {
  ARTIFACT_BUCKET,
  DEPLOY_TYPE,
  pollForJob,
  STEADY,
  startPipelineHarness,
  threeStagePipeline,
  waitForExecution,
} from './fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('custom action types', () => {
  it('registers a custom action type with owner Custom and lists it beside the built-in S3 source', async () => {
    const harness = await startPipelineHarness();
    const { actionTypes: custom } = await harness.codePipeline.send(
      new ListActionTypesCommand({ actionOwnerFilter: 'Custom' }),
    );
    expect(custom).toEqual([
      {
        id: DEPLOY_TYPE,
        settings: {
          entityUrlTemplate: 'https://gate.example/apps/{Config:ApplicationName}',
          executionUrlTemplate:
            'https://gate.example/apps/{Config:ApplicationName}/deployments/{ExternalExecutionId}',
        },
        actionConfigurationProperties: [
          { name: 'ApplicationName', required: true, key: true, secret: false, queryable: false },
          { name: 'DeploymentGroupName', required: true, key: true, secret: false, queryable: false },
          { name: 'ApiToken', required: false, key: false, secret: true, queryable: false },
        ],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      },
    ]);
    const { actionTypes: aws } = await harness.codePipeline.send(
      new ListActionTypesCommand({ actionOwnerFilter: 'AWS' }),
    );
    expect(aws?.map((type) => type.id)).toEqual([
      { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
    ]);
  });

  it('refuses a second registration of the same type and a queryable property that may be missing', async () => {
    const harness = await startHarness();
    const type = {
      category: 'Build' as const,
      provider: 'Builder',
      version: '1',
      configurationProperties: [
        { name: 'Project', required: true, key: true, secret: false, queryable: true },
      ],
      inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
    };
    const { actionType } = await harness.codePipeline.send(new CreateCustomActionTypeCommand(type));
    expect(actionType?.id).toEqual({ category: 'Build', owner: 'Custom', provider: 'Builder', version: '1' });
    expect(
      await rejectionOf(harness.codePipeline.send(new CreateCustomActionTypeCommand(type))),
    ).toBeInstanceOf(ValidationException);
    const optionalQueryable = await rejectionOf(
      harness.codePipeline.send(
        new CreateCustomActionTypeCommand({
          ...type,
          version: '2',
          configurationProperties: [
            { name: 'Project', required: false, key: true, secret: false, queryable: true },
          ],
        }),
      ),
    );
    expect(optionalQueryable).toBeInstanceOf(ValidationException);
  });
});

describe('CreatePipeline', () => {
  /** The three-stage pipeline with one change applied. */
  function changed(change: (pipeline: PipelineDeclaration) => void): PipelineDeclaration {
    const pipeline = threeStagePipeline('checked');
    change(pipeline);
    return pipeline;
  }

  it.each([
    [
      'a single stage',
      (p: PipelineDeclaration) => p.stages?.splice(1),
      InvalidStructureException,
      'Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline',
    ],
    [
      'a first stage without a source action',
      (p: PipelineDeclaration) => p.stages?.shift(),
      InvalidStructureException,
      "Action 'DeployToStaging' in stage 'Deploy' is a Deploy action: the first stage of a pipeline may contain only source actions",
    ],
    [
      'an action type nobody registered',
      (p: PipelineDeclaration) => {
        p.stages![1]!.actions![0]!.actionTypeId = { ...DEPLOY_TYPE, provider: 'Missing' };
      },
      InvalidActionDeclarationException,
      "ActionType (Category: 'Deploy', Provider: 'Missing', Owner: 'Custom', Version: '1') in action 'DeployToStaging' is not available",
    ],
    [
      'a missing required configuration property',
      (p: PipelineDeclaration) => {
        delete p.stages![2]!.actions![0]!.configuration!.DeploymentGroupName;
      },
      InvalidActionDeclarationException,
      "Action configuration for action 'DeployToProd' is missing required configuration 'DeploymentGroupName'",
    ],
    [
      'an input artifact no earlier action produces',
      (p: PipelineDeclaration) => {
        p.stages![2]!.actions![0]!.inputArtifacts = [{ name: 'Elsewhere' }];
      },
      InvalidStructureException,
      "Input artifact 'Elsewhere' of action 'DeployToProd' in stage 'Prod' is not the output artifact of any action that runs before it",
    ],
    [
      'too few input artifacts for the action type',
      (p: PipelineDeclaration) => {
        p.stages![2]!.actions![0]!.inputArtifacts = [];
      },
      InvalidActionDeclarationException,
      'Action DeployToProd declares 0 input artifacts which is less than the minimum count (1)',
    ],
  ])('refuses %s', async (_, change, exception, message) => {
    const harness = await startPipelineHarness();
    const error = await rejectionOf(
      harness.codePipeline.send(new CreatePipelineCommand({ pipeline: changed(change) })),
    );
    expect(error).toBeInstanceOf(exception);
    expect(error.message).toBe(message);
  });

  it('refuses a taken name and a name outside the model pattern', async () => {
    const harness = await startPipelineHarness();
    await harness.codePipeline.send(new CreatePipelineCommand({ pipeline: threeStagePipeline('taken') }));
    const taken = await rejectionOf(
      harness.codePipeline.send(new CreatePipelineCommand({ pipeline: threeStagePipeline('taken') })),
    );
    expect(taken).toBeInstanceOf(PipelineNameInUseException);
    const badName = await rejectionOf(
      harness.codePipeline.send(new CreatePipelineCommand({ pipeline: threeStagePipeline('no spaces') })),
    );
    expect(badName).toBeInstanceOf(ValidationException);
    expect(badName.message).toBe(
      "1 validation error detected: Value 'no spaces' at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+",
    );
  });

  it('stores the pipeline with the defaults filled in and answers GetPipeline with secrets masked', async () => {
    const harness = await startPipelineHarness();
    const { pipeline: created } = await harness.codePipeline.send(
      new CreatePipelineCommand({ pipeline: threeStagePipeline('stored') }),
    );
    const { pipeline, metadata } = await harness.codePipeline.send(
      new GetPipelineCommand({ name: 'stored' }),
    );
    expect(pipeline).toEqual(created);
    expect(pipeline).toMatchObject({
      name: 'stored',
      version: 1,
      executionMode: 'SUPERSEDED',
      pipelineType: 'V1',
      artifactStore: { type: 'S3', location: ARTIFACT_BUCKET },
    });
    const deploy = pipeline?.stages?.[1]?.actions?.[0];
    expect(deploy).toMatchObject({ runOrder: 1, outputArtifacts: [{ name: 'DeployOutput' }] });
    expect(deploy?.configuration?.ApiToken).toBe('****');
    expect(pipeline?.stages?.[0]?.actions?.[0]?.inputArtifacts).toEqual([]);
    expect(metadata).toEqual({
      pipelineArn: 'arn:aws:codepipeline:us-east-1:111122223333:stored',
      created: expect.any(Date),
      updated: expect.any(Date),
    });
    const { pipelines } = await harness.codePipeline.send(new ListPipelinesCommand({}));
    expect(pipelines?.map((summary) => [summary.name, summary.version])).toEqual([['stored', 1]]);
    const missing = await rejectionOf(
      harness.codePipeline.send(new GetPipelineStateCommand({ name: 'absent' })),
    );
    expect(missing).toBeInstanceOf(PipelineNotFoundException);
    expect(missing.message).toBe('Pipeline with name absent does not exist in account 111122223333.');
  });
});

describe('a persistent state dir', () => {
  it('keeps pipelines, executions and jobs across a restart: the acknowledged job can still report', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'local-codepipeline-state-'));
    dirs.push(stateDir);
    const first = await startPipelineHarness({ stateDir, pipelines: STEADY });
    await first.codePipeline.send(new CreatePipelineCommand({ pipeline: threeStagePipeline('kept') }));
    const { pipelineExecutionId } = await first.codePipeline.send(
      new StartPipelineExecutionCommand({ name: 'kept' }),
    );
    const job = await pollForJob(first.codePipeline);
    await first.codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
    await first.close();

    const harness = await startHarness({ stateDir, pipelines: STEADY });
    const { codePipeline } = harness;
    expect(
      await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce })),
    ).toMatchObject({
      status: 'InProgress',
    });
    await codePipeline.send(new PutJobSuccessResultCommand({ jobId: job.id }));
    const prod = await pollForJob(codePipeline);
    expect(prod.data?.pipelineContext?.pipelineExecutionId).toBe(pipelineExecutionId);
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: prod.id, nonce: prod.nonce }));
    await codePipeline.send(new PutJobSuccessResultCommand({ jobId: prod.id }));
    await waitForExecution(codePipeline, 'kept', pipelineExecutionId!, 'Succeeded');
  });
});
