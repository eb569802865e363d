import type { OperationTable } from '../../wire/operation.js';
import type { CodePipelineContext } from '../context.js';
import { createPipeline, getPipeline, listPipelines } from './operations.js';

export { maskSecrets, requirePipeline, SECRET_MASK } from './lookup.js';
export { validatePipeline } from './validation.js';

/** CodePipeline's pipeline operations (declarations; executions live in ../executions). */
export const pipelineOperations: OperationTable<CodePipelineContext> = {
  CreatePipeline: createPipeline,
  GetPipeline: getPipeline,
  ListPipelines: listPipelines,
};
