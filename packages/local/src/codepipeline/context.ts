import type { Store } from '../state/index.js';
import type { ExecutionEngine } from './executions/engine.js';
import type { JobQueue } from './jobs/queue.js';

/**
 * What every CodePipeline operation handler gets. Handlers take the operation's input shape (the SDK's
 * `XxxInput` type) and return its output shape, throwing CodePipelineError for modelled exceptions.
 */
export interface CodePipelineContext {
  store: Store;
  /** 12-digit fake account id, in ARNs and jobs. */
  accountId: string;
  region: string;
  now(): Date;
  /** The custom actions' jobs (PollForJobs and friends). */
  jobs: JobQueue;
  /** Runs pipeline executions (StartPipelineExecution). */
  executions: ExecutionEngine;
}
