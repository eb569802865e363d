import {
  AcknowledgeJobCommand,
  ActionTypeNotFoundException,
  GetJobDetailsCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidJobStateException,
  InvalidNonceException,
  JobNotFoundException,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
  ValidationException,
} from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import { type Harness, rejectionOf } from '../e2e/helpers.js';
import {
  createThreeStagePipeline,
  DEPLOY_TYPE,
  FAST,
  pollForJob,
  STEADY,
  sleep,
  startPipelineHarness,
  waitForExecution,
} from './fixture.js';

/** A harness with the three-stage pipeline started `runs` times; resolves with the execution ids. */
async function started(runs = 1, pipelines = FAST): Promise<{ harness: Harness; executionIds: string[] }> {
  const harness = await startPipelineHarness({ pipelines });
  await createThreeStagePipeline(harness);
  const executionIds: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    const { pipelineExecutionId } = await harness.codePipeline.send(
      new StartPipelineExecutionCommand({ name: 'gate-pipeline' }),
    );
    executionIds.push(pipelineExecutionId ?? '');
  }
  return { harness, executionIds };
}

describe('the job lifecycle', () => {
  it('offers a job that was not acknowledged in time again, with a new nonce, and refuses the stale one', async () => {
    // An ack deadline long enough that the second handout's three calls fit in it on a loaded machine.
    const timings = { ...FAST, ackTimeoutMs: 1_500 };
    const { harness } = await started(1, timings);
    const { codePipeline } = harness;
    const offered = await pollForJob(codePipeline);
    // Handed out: no other poller sees it until the ack deadline passes.
    expect((await codePipeline.send(new PollForJobsCommand({ actionTypeId: DEPLOY_TYPE }))).jobs).toEqual([]);
    await sleep(timings.ackTimeoutMs + 100);
    const again = await pollForJob(codePipeline);
    expect(again.id).toBe(offered.id);
    expect(again.nonce).not.toBe(offered.nonce);
    const stale = await rejectionOf(
      codePipeline.send(new AcknowledgeJobCommand({ jobId: offered.id, nonce: offered.nonce })),
    );
    expect(stale).toBeInstanceOf(InvalidNonceException);
    expect(stale.$metadata?.attempts).toBe(1);
    const { status } = await codePipeline.send(
      new AcknowledgeJobCommand({ jobId: again.id, nonce: again.nonce }),
    );
    expect(status).toBe('InProgress');
  });

  it('times out an acknowledged job that reports nothing, failing the action, the stage and the execution', async () => {
    const { harness, executionIds } = await started();
    const { codePipeline } = harness;
    const job = await pollForJob(codePipeline);
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
    await waitForExecution(
      codePipeline,
      'gate-pipeline',
      executionIds[0]!,
      'Failed',
      FAST.jobTimeoutMs + 2000,
    );

    const { stageStates } = await codePipeline.send(new GetPipelineStateCommand({ name: 'gate-pipeline' }));
    expect(stageStates?.map((stage) => stage.latestExecution?.status)).toEqual([
      'Succeeded',
      'Failed',
      undefined,
    ]);
    const failure = stageStates?.[1]?.actionStates?.[0]?.latestExecution;
    expect(failure?.status).toBe('Failed');
    expect(failure?.errorDetails?.code).toBe('JobFailed');
    expect(failure?.errorDetails?.message).toContain('The job worker did not report a result in time');
    // The worker, late, hears the job's status on acknowledging and cannot report any more.
    expect(
      await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce })),
    ).toMatchObject({
      status: 'TimedOut',
    });
    const late = await rejectionOf(codePipeline.send(new PutJobSuccessResultCommand({ jobId: job.id })));
    expect(late).toBeInstanceOf(InvalidJobStateException);
  });

  it('never hands one job to two pollers at the same time', async () => {
    const { harness } = await started(3, STEADY);
    const { codePipeline } = harness;
    // Wait until the three executions' source actions are done and their jobs are queued.
    const deadline = Date.now() + 10_000;
    while (
      Object.values(harness.server.store.state.codePipeline.jobs).filter((job) => job.status === 'Queued')
        .length < 3
    ) {
      if (Date.now() > deadline) throw new Error('the three jobs were not queued');
      await sleep(20);
    }
    const polls = await Promise.all(
      Array.from({ length: 8 }, () =>
        codePipeline.send(new PollForJobsCommand({ actionTypeId: DEPLOY_TYPE, maxBatchSize: 1 })),
      ),
    );
    const handed = polls.flatMap((poll) => poll.jobs ?? []);
    expect(handed).toHaveLength(3);
    expect(new Set(handed.map((job) => job.id)).size).toBe(3);
    const batch = await codePipeline.send(
      new PollForJobsCommand({ actionTypeId: DEPLOY_TYPE, maxBatchSize: 10 }),
    );
    expect(batch.jobs).toEqual([]);
  });

  it('accepts a result only from an acknowledged job that has not reported yet', async () => {
    const { harness } = await started(1, STEADY);
    const { codePipeline } = harness;
    const job = await pollForJob(codePipeline);

    const unacknowledged = await rejectionOf(
      codePipeline.send(new PutJobSuccessResultCommand({ jobId: job.id })),
    );
    expect(unacknowledged).toBeInstanceOf(InvalidJobStateException);
    const wrongNonce = await rejectionOf(
      codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: `${job.nonce}0` })),
    );
    expect(wrongNonce).toBeInstanceOf(InvalidNonceException);
    await codePipeline.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));

    const both = await rejectionOf(
      codePipeline.send(
        new PutJobSuccessResultCommand({
          jobId: job.id,
          continuationToken: 't',
          outputVariables: { A: 'b' },
        }),
      ),
    );
    expect(both).toBeInstanceOf(ValidationException);
    const percent = await rejectionOf(
      codePipeline.send(
        new PutJobSuccessResultCommand({ jobId: job.id, executionDetails: { percentComplete: 101 } }),
      ),
    );
    expect(percent).toBeInstanceOf(ValidationException);

    await codePipeline.send(
      new PutJobFailureResultCommand({
        jobId: job.id,
        failureDetails: { type: 'ConfigurationError', message: 'no such group' },
      }),
    );
    const twice = await rejectionOf(codePipeline.send(new PutJobSuccessResultCommand({ jobId: job.id })));
    expect(twice).toBeInstanceOf(InvalidJobStateException);
    const failTwice = await rejectionOf(
      codePipeline.send(
        new PutJobFailureResultCommand({
          jobId: job.id,
          failureDetails: { type: 'JobFailed', message: 'again' },
        }),
      ),
    );
    expect(failTwice).toBeInstanceOf(InvalidJobStateException);

    const unknown = await rejectionOf(
      codePipeline.send(new PutJobSuccessResultCommand({ jobId: '00000000-0000-4000-8000-000000000000' })),
    );
    expect(unknown).toBeInstanceOf(JobNotFoundException);
    const malformed = await rejectionOf(codePipeline.send(new GetJobDetailsCommand({ jobId: 'job-1' })));
    expect(malformed).toBeInstanceOf(ValidationException);
    expect(malformed.message).toContain("Value 'job-1' at 'jobId' failed to satisfy constraint");
  });

  it('answers GetJobDetails with the job, fresh artifact credentials and no nonce', async () => {
    const { harness, executionIds } = await started();
    const { codePipeline } = harness;
    const job = await pollForJob(codePipeline);
    const { jobDetails } = await codePipeline.send(new GetJobDetailsCommand({ jobId: job.id }));
    expect(jobDetails).toEqual({
      id: job.id,
      accountId: '111122223333',
      data: { ...job.data, artifactCredentials: expect.any(Object) },
    });
    expect(jobDetails).not.toHaveProperty('nonce');
    expect(jobDetails?.data?.artifactCredentials?.sessionToken).not.toBe(
      job.data?.artifactCredentials?.sessionToken,
    );
    const { pipelineExecution } = await codePipeline.send(
      new GetPipelineExecutionCommand({
        pipelineName: 'gate-pipeline',
        pipelineExecutionId: executionIds[0],
      }),
    );
    expect(pipelineExecution?.status).toBe('InProgress');
  });

  it('serves PollForJobs for registered custom action types only, in the service words', async () => {
    const harness = await startPipelineHarness();
    const unknown = await rejectionOf(
      harness.codePipeline.send(
        new PollForJobsCommand({
          actionTypeId: { category: 'Deploy', owner: 'Custom', provider: 'Nope', version: '1' },
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(ActionTypeNotFoundException);
    expect(unknown.message).toBe(
      "ActionType (Category: 'Deploy', Owner: 'Custom', Provider: 'Nope', Version: '1') is not available",
    );
    const aws = await rejectionOf(
      harness.codePipeline.send(
        new PollForJobsCommand({
          actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
        }),
      ),
    );
    expect(aws).toBeInstanceOf(ValidationException);
    expect(aws.message).toBe("ActionType with owner 'AWS' is not supported");
  });
});
