export type { CodePipelineContext } from './context.js';
export { CodePipelineError } from './errors.js';
export { DEFAULT_JOB_TIMINGS, type JobTimings } from './jobs/index.js';
export { codePipelineOperations } from './operations.js';
export {
  type LocalCodePipeline,
  type LocalCodePipelineOptions,
  startLocalCodePipeline,
} from './service.js';
