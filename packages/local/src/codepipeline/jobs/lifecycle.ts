import type { JobRecord } from '../../state/index.js';
import { CodePipelineError } from '../errors.js';

/** How long each step of a job may take; tests shorten them through `startLocalCodeDeploy({ pipelines })`. */
export interface JobTimings {
  /** A Dispatched job not acknowledged within this is queued again with a new nonce. */
  ackTimeoutMs: number;
  /** An InProgress job with no PutJobSuccessResult/PutJobFailureResult within this times out. */
  jobTimeoutMs: number;
  /** After a success with a continuation token, the follow-up job is queued after this. */
  continuationDelayMs: number;
}

/**
 * Defaults chosen where the service documents nothing: a minute to acknowledge, the 20 minutes
 * CodePipeline gives a Lambda invoke action to reply (the closest documented per-job timeout), and a
 * second before a continuation job appears.
 */
export const DEFAULT_JOB_TIMINGS: JobTimings = {
  ackTimeoutMs: 60_000,
  jobTimeoutMs: 20 * 60_000,
  continuationDelayMs: 1_000,
};

/** What the lifecycle decides for a job: its status, the nonce it holds, and when that status ends. */
export type JobState = Pick<JobRecord, 'status' | 'nonce' | 'deadline'>;

/** A new job is Queued at once, or Created until `delayMs` has passed (a continuation). */
export function newJob(now: Date, delayMs: number): JobState {
  return delayMs > 0 ? { status: 'Created', deadline: after(now, delayMs) } : { status: 'Queued' };
}

/** PollForJobs hands a Queued job to one worker: Dispatched with a fresh nonce until the ack deadline. */
export function dispatch(nonce: string, now: Date, timings: JobTimings): JobState {
  return { status: 'Dispatched', nonce, deadline: after(now, timings.ackTimeoutMs) };
}

/**
 * AcknowledgeJob: only the nonce the job was last handed out with is accepted. A Dispatched job turns
 * InProgress and its result is due within the job timeout; any other job keeps its status, which is
 * what the worker is told (so it goes on only when it hears InProgress).
 */
export function acknowledge(job: JobRecord, nonce: string, now: Date, timings: JobTimings): JobState {
  if (job.nonce === undefined || job.nonce !== nonce) {
    throw new CodePipelineError(
      'InvalidNonceException',
      `The nonce '${nonce}' is not valid for job ${job.id}: it was not the last to hand this job out`,
    );
  }
  if (job.status !== 'Dispatched') return { status: job.status, nonce: job.nonce, deadline: job.deadline };
  return { status: 'InProgress', nonce, deadline: after(now, timings.jobTimeoutMs) };
}

/**
 * A job whose deadline has passed: a Created one becomes Queued, a Dispatched one is queued again for
 * another worker (its nonce no longer counts), an InProgress one is TimedOut.
 */
export function expire(job: JobRecord): JobState {
  switch (job.status) {
    case 'Created':
    case 'Dispatched':
      return { status: 'Queued' };
    case 'InProgress':
      return { status: 'TimedOut', nonce: job.nonce };
    default:
      return { status: job.status, nonce: job.nonce };
  }
}

/** PutJobSuccessResult / PutJobFailureResult: only an acknowledged job that has not ended may report. */
export function report(job: JobRecord, outcome: 'Succeeded' | 'Failed'): JobState {
  if (job.status !== 'InProgress') {
    throw new CodePipelineError(
      'InvalidJobStateException',
      `Job ${job.id} is ${job.status}: only an acknowledged job (InProgress) can report a result`,
    );
  }
  return { status: outcome, nonce: job.nonce };
}

function after(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
