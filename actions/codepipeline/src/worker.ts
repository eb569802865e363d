import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  AcknowledgeJobCommand,
  type ActionTypeId,
  type CodePipelineClient,
  GetJobDetailsCommand,
  type JobData,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  type AwsClientOptions,
  DEFAULT_PACING,
  errorBackoffDelay,
  writeOutputFile,
} from '@codedeploy-gate/core';

/** Backoff for polls and reports: 1 s doubling to 30 s, jittered. */
const BACKOFF = { ...DEFAULT_PACING, baseMs: 1_000 };

import { type JobContext, runJob } from './job.js';
import type { Journal } from './journal.js';
import type { Logger } from './log.js';
import { type JobOutcome, maskedOutcome } from './outcome.js';
import { encodeToken } from './token.js';

export interface WorkerOptions {
  actionTypeId: ActionTypeId;
  /** Jobs worked on at once. */
  concurrency: number;
  /** Pause between polls that found nothing (PollForJobs does not long-poll). */
  pollIntervalMs: number;
  region: string;
  aws: AwsClientOptions;
  clients: { codePipeline: CodePipelineClient; codeDeploy: CodeDeployClient };
  journal: Journal;
  log: Logger;
  /** Written after every successful poll: a supervisor's liveness check reads its age. */
  healthFile?: string | undefined;
  /** The longest a ContinueAfter check may run within its job. */
  checkTimeoutMs: number;
  /** Aborted to stop: no more polls, jobs in hand are finished (within `shutdownGraceMs`). */
  stop: AbortSignal;
  shutdownGraceMs: number;
}

/** Why the worker stopped, as the process's exit code: 0 asked to stop, 2 misconfigured. */
export type WorkerExit = 0 | 2;

/**
 * The job worker: polls for jobs of its action type, works on up to `concurrency` at once, and
 * answers each one quickly (a look at the deployment, a continuation token), so a job is never held
 * while a deployment runs and any worker can take the next one. Polls back off on throttling and
 * network errors; an action type that does not exist stops the worker (exit 2).
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerExit> {
  const { log, clients, stop } = options;
  const active = new Set<Promise<void>>();
  // In-flight calls finish after a stop; this signal only cuts them off when the grace runs out.
  const hard = new AbortController();
  const context: JobContext = {
    codeDeploy: clients.codeDeploy,
    aws: options.aws,
    region: options.region,
    log,
    signal: hard.signal,
    checkTimeoutMs: options.checkTimeoutMs,
  };
  const start = (jobId: string, work: () => Promise<void>) => {
    const task = work()
      .catch((error: unknown) => log.error('job failed unexpectedly', { jobId, error: String(error) }))
      .finally(() => active.delete(task));
    active.add(task);
  };

  for (const jobId of await options.journal.pending()) {
    start(jobId, () => resume(jobId, options, context));
  }

  let failures = 0;
  let ready = false;
  const health = new HealthFile(options.healthFile, log);
  while (!stop.aborted) {
    const capacity = options.concurrency - active.size;
    let jobs: Awaited<ReturnType<typeof poll>> = [];
    if (capacity > 0) {
      try {
        jobs = await poll(options, capacity);
        failures = 0;
        if (!ready) {
          ready = true;
          log.info('ready', { ...describeType(options.actionTypeId), concurrency: options.concurrency });
        }
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ActionTypeNotFoundException' || name === 'ValidationException') {
          log.error('cannot poll for this action type', { error: (error as Error).message });
          await drain(active, options.shutdownGraceMs, hard);
          return 2;
        }
        const delay = errorBackoffDelay(failures++, BACKOFF);
        log.warn('polling failed; backing off', { error: (error as Error).message, retryInMs: delay });
        await sleep(delay, stop);
        continue;
      }
    }
    // Alive and answered by CodePipeline (or too busy to poll): what a liveness check wants to know.
    await health.write(active.size + jobs.length);
    for (const job of jobs) {
      if (job.id)
        start(job.id, () => handle(job.id as string, job.nonce ?? '', job.data ?? {}, options, context));
    }
    // A full batch may mean more are waiting: poll again at once. Otherwise wait for the interval or
    // for a slot to free up, whichever comes first.
    if (jobs.length > 0 && jobs.length === capacity) continue;
    await Promise.race([sleep(options.pollIntervalMs, stop), ...(capacity <= 0 ? active : [])]);
  }
  log.info('stopping: finishing the jobs in hand', { jobs: active.size });
  await drain(active, options.shutdownGraceMs, hard);
  log.info('stopped');
  return 0;
}

async function poll(options: WorkerOptions, capacity: number) {
  const { jobs = [] } = await options.clients.codePipeline.send(
    new PollForJobsCommand({ actionTypeId: options.actionTypeId, maxBatchSize: capacity }),
  );
  return jobs;
}

/** A job from PollForJobs: acknowledge it (another worker may have it), work it out, report. */
async function handle(
  jobId: string,
  nonce: string,
  data: JobData,
  options: WorkerOptions,
  context: JobContext,
): Promise<void> {
  const log = options.log.child(jobFields(jobId, data));
  const { status } = await options.clients.codePipeline
    .send(new AcknowledgeJobCommand({ jobId, nonce }))
    .catch((error: unknown) => {
      // InvalidNonceException: another worker claimed it first; nothing to do here.
      log.info('job not acknowledged', { error: (error as Error).name });
      return { status: undefined };
    });
  if (status !== 'InProgress') return;
  await options.journal.add(jobId);
  log.info(data.continuationToken ? 'follow-up job' : 'job started');
  const outcome = await runJob(jobId, data, { ...context, log });
  await report(jobId, outcome, options, log);
}

/** A job acknowledged by an earlier run of this worker that died before reporting it. */
async function resume(jobId: string, options: WorkerOptions, context: JobContext): Promise<void> {
  const details = await options.clients.codePipeline
    .send(new GetJobDetailsCommand({ jobId }))
    .catch(() => undefined);
  const data = details?.jobDetails?.data;
  if (!data) {
    await options.journal.remove(jobId);
    return;
  }
  const log = options.log.child(jobFields(jobId, data));
  log.info('resuming a job acknowledged before a restart');
  await report(jobId, await runJob(jobId, data, { ...context, log }), options, log);
}

/**
 * PutJobSuccessResult (with a continuation token while the deployment runs) or PutJobFailureResult,
 * masked (see `maskedOutcome`), retried on passing errors. A job CodePipeline no longer expects (timed out, already reported) is
 * dropped; one that could not be reported at all stays in the journal for the next start.
 */
async function report(jobId: string, job: JobOutcome, options: WorkerOptions, log: Logger): Promise<void> {
  const client = options.clients.codePipeline;
  const outcome = maskedOutcome(job);
  const send = () =>
    outcome.kind === 'failed'
      ? client.send(new PutJobFailureResultCommand({ jobId, failureDetails: outcome.failure }))
      : client.send(
          new PutJobSuccessResultCommand({
            jobId,
            executionDetails: outcome.details,
            ...(outcome.kind === 'continue'
              ? { continuationToken: encodeToken(outcome.state) }
              : { outputVariables: outcome.outputVariables }),
          }),
        );
  for (let attempt = 0; ; attempt++) {
    try {
      await send();
      break;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'InvalidJobStateException' || name === 'JobNotFoundException') {
        log.warn('CodePipeline no longer expects this job', { error: name });
        break;
      }
      if (attempt >= 4) {
        log.error('reporting the job failed; it stays in the journal', { error: (error as Error).message });
        return;
      }
      await sleep(errorBackoffDelay(attempt, BACKOFF), undefined);
    }
  }
  await options.journal.remove(jobId);
  if (outcome.kind === 'failed') {
    log.warn('job failed', {
      failureType: outcome.failure.type,
      message: outcome.failure.message?.split('\n')[0],
    });
  } else {
    log.info(outcome.kind === 'continue' ? 'job answered; deployment continues' : 'job succeeded', {
      deploymentId: outcome.details.externalExecutionId,
      summary: outcome.details.summary,
      percentComplete: outcome.details.percentComplete,
    });
  }
}

async function drain(active: Set<Promise<void>>, graceMs: number, hard: AbortController): Promise<void> {
  if (active.size === 0) return;
  const timer = setTimeout(() => hard.abort(new Error('shutdown grace period over')), graceMs);
  await Promise.allSettled([...active]);
  clearTimeout(timer);
}

/** How the health file is named in messages. */
export const HEALTH_FILE = '--health-file';

/**
 * `--health-file`, rewritten every loop (after a poll, or every poll interval while all slots are busy).
 * A file that cannot be written is reported once and never stops the work.
 */
class HealthFile {
  private warned = false;

  constructor(
    private readonly file: string | undefined,
    private readonly log: Logger,
  ) {}

  async write(jobs: number): Promise<void> {
    if (!this.file) return;
    try {
      // Written aside and renamed, so a reader never sees a half-written file; never into a device.
      await writeOutputFile(this.file, `${JSON.stringify({ time: new Date().toISOString(), jobs })}\n`, {
        what: HEALTH_FILE,
      });
    } catch (error) {
      if (!this.warned)
        this.log.warn('cannot write the health file', { file: this.file, error: String(error) });
      this.warned = true;
    }
  }
}

function jobFields(jobId: string, data: JobData) {
  const context = data.pipelineContext;
  return {
    jobId,
    pipeline: context?.pipelineName,
    execution: context?.pipelineExecutionId,
    stage: context?.stage?.name,
    action: context?.action?.name,
  };
}

function describeType(id: ActionTypeId) {
  return { category: id.category, owner: id.owner, provider: id.provider, version: id.version };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
