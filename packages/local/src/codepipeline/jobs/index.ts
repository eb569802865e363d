import type { OperationTable } from '../../wire/operation.js';
import type { CodePipelineContext } from '../context.js';
import {
  acknowledgeJob,
  getJobDetails,
  pollForJobs,
  putJobFailureResult,
  putJobSuccessResult,
} from './operations.js';

export { DEFAULT_JOB_TIMINGS, type JobTimings } from './lifecycle.js';
export { type JobListener, JobQueue, type JobQueueOptions } from './queue.js';

/** The job worker's operations. */
export const jobOperations: OperationTable<CodePipelineContext> = {
  PollForJobs: pollForJobs,
  AcknowledgeJob: acknowledgeJob,
  GetJobDetails: getJobDetails,
  PutJobSuccessResult: putJobSuccessResult,
  PutJobFailureResult: putJobFailureResult,
};
