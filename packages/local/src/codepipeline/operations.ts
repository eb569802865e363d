import type { OperationTable } from '../wire/operation.js';
import { actionTypeOperations } from './action-types/index.js';
import type { CodePipelineContext } from './context.js';
import { executionOperations } from './executions/index.js';
import { jobOperations } from './jobs/index.js';
import { pipelineOperations } from './pipelines/index.js';

/** Every CodePipeline operation the local server answers. */
export function codePipelineOperations(): OperationTable<CodePipelineContext> {
  return {
    ...actionTypeOperations,
    ...pipelineOperations,
    ...executionOperations,
    ...jobOperations,
  };
}
