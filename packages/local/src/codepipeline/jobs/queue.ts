import { randomInt, randomUUID } from 'node:crypto';
import type {
  ActionTypeId,
  FailureDetails,
  Job,
  JobData,
  JobDetails,
  JobStatus,
  PutJobSuccessResultInput,
} from '@aws-sdk/client-codepipeline';
import type { JobRecord, Store } from '../../state/index.js';
import { sameActionTypeId } from '../action-types/index.js';
import { newArtifactCredentials } from '../artifacts/index.js';
import { CodePipelineError } from '../errors.js';
import {
  acknowledge,
  dispatch,
  expire,
  type JobState,
  type JobTimings,
  newJob,
  report,
} from './lifecycle.js';

/** Who hears how a job ended: the execution engine, which moves the action on. */
export interface JobListener {
  /** The worker reported success, with a continuation token when the action is not done yet. */
  succeeded(job: JobRecord, result: PutJobSuccessResultInput): void;
  failed(job: JobRecord, details: FailureDetails): void;
  /** Acknowledged, but no result within the job timeout. */
  timedOut(job: JobRecord): void;
}

export interface JobQueueOptions {
  store: Store;
  now: () => Date;
  timings: JobTimings;
  accountId: string;
  log: (line: string) => void;
}

/**
 * The jobs of custom actions, from Queued to a result: hands each job to one poller at a time, keeps
 * the nonce it was handed out with, and runs the deadlines of the lifecycle (ack timeout, job timeout,
 * continuation delay) on timers that follow the persisted deadlines, so they survive a restart.
 */
export class JobQueue {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private listener: JobListener | undefined;
  private closed = false;

  constructor(private readonly options: JobQueueOptions) {
    for (const job of Object.values(this.jobs)) this.schedule(job);
  }

  private get jobs(): Record<string, JobRecord> {
    return this.options.store.state.codePipeline.jobs;
  }

  listen(listener: JobListener): void {
    this.listener = listener;
  }

  /** A new job for an action: Queued now, or after `delayMs` (a continuation). */
  create(data: JobRecord['data'], delayMs: number): JobRecord {
    const now = this.options.now();
    const job: JobRecord = { id: randomUUID(), createdAt: now, data, ...newJob(now, delayMs) };
    this.options.store.update((state) => {
      state.codePipeline.jobs[job.id] = job;
    });
    this.schedule(job);
    this.options.log(`job ${job.id}: ${job.status}${data.continuationToken ? ' (continuation)' : ''}`);
    return job;
  }

  /**
   * PollForJobs: up to `maxBatchSize` Queued jobs of the action type, oldest first, each Dispatched to
   * this caller alone with a new nonce. Handlers run one at a time, so two polls never share a job.
   */
  poll(actionTypeId: ActionTypeId, maxBatchSize: number, matches: (job: JobRecord) => boolean): Job[] {
    const picked = Object.values(this.jobs)
      .filter((job) => job.status === 'Queued' && sameActionTypeId(job.data.actionTypeId, actionTypeId))
      .filter(matches)
      .slice(0, maxBatchSize);
    if (picked.length === 0) return [];
    const now = this.options.now();
    this.options.store.update(() => {
      for (const job of picked) apply(job, dispatch(newNonce(job.nonce), now, this.options.timings));
    });
    for (const job of picked) this.schedule(job);
    return picked.map((job) => ({
      id: job.id,
      data: this.dataOf(job),
      nonce: job.nonce,
      accountId: this.options.accountId,
    }));
  }

  /** AcknowledgeJob: the job's status after the acknowledgement (InProgress when the worker may go on). */
  acknowledge(jobId: string, nonce: string): JobStatus {
    const job = this.require(jobId);
    const next = acknowledge(job, nonce, this.options.now(), this.options.timings);
    if (next.status !== job.status) {
      this.options.store.update(() => apply(job, next));
      this.schedule(job);
      this.options.log(`job ${job.id}: ${job.status}`);
    }
    return next.status;
  }

  /** GetJobDetails: the job as PollForJobs gave it, with fresh artifact credentials and no nonce. */
  details(jobId: string): JobDetails {
    const job = this.require(jobId);
    return { id: job.id, data: this.dataOf(job), accountId: this.options.accountId };
  }

  succeed(jobId: string, result: PutJobSuccessResultInput): void {
    const job = this.settle(jobId, 'Succeeded');
    this.listener?.succeeded(job, result);
  }

  fail(jobId: string, details: FailureDetails): void {
    const job = this.settle(jobId, 'Failed');
    this.listener?.failed(job, details);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private require(jobId: string): JobRecord {
    const job = this.jobs[jobId];
    if (!job) throw new CodePipelineError('JobNotFoundException', `Job ${jobId} was not found`);
    return job;
  }

  private settle(jobId: string, outcome: 'Succeeded' | 'Failed'): JobRecord {
    const job = this.require(jobId);
    const next = report(job, outcome);
    this.options.store.update(() => apply(job, next));
    this.schedule(job);
    this.options.log(`job ${job.id}: ${job.status}`);
    return job;
  }

  private dataOf(job: JobRecord): JobData {
    return { ...structuredClone(job.data), artifactCredentials: newArtifactCredentials() };
  }

  /** One timer per job, for the deadline of its current status (none once it has ended). */
  private schedule(job: JobRecord): void {
    const existing = this.timers.get(job.id);
    if (existing) clearTimeout(existing);
    this.timers.delete(job.id);
    if (job.deadline === undefined || this.closed) return;
    const delay = Math.max(0, job.deadline.getTime() - this.options.now().getTime());
    const timer = setTimeout(() => this.expire(job.id), delay);
    // The HTTP server keeps the process alive; a forgotten close() should not.
    timer.unref();
    this.timers.set(job.id, timer);
  }

  private expire(jobId: string): void {
    this.timers.delete(jobId);
    const job = this.jobs[jobId];
    if (!job?.deadline || this.closed) return;
    if (job.deadline.getTime() > this.options.now().getTime()) {
      this.schedule(job);
      return;
    }
    const next = expire(job);
    this.options.store.update(() => apply(job, next));
    this.schedule(job);
    this.options.log(`job ${job.id}: ${job.status}`);
    if (job.status === 'TimedOut') this.listener?.timedOut(job);
  }
}

function apply(job: JobRecord, state: JobState): void {
  job.status = state.status;
  job.nonce = state.nonce;
  job.deadline = state.deadline;
}

/** A nonce like the service's (a short number), never the one the job was last handed out with. */
function newNonce(previous: string | undefined): string {
  for (;;) {
    const nonce = String(randomInt(1, 1_000_000_000));
    if (nonce !== previous) return nonce;
  }
}
