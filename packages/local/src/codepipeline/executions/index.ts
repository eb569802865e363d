import type { OperationTable } from '../../wire/operation.js';
import type { CodePipelineContext } from '../context.js';
import {
  getPipelineExecution,
  getPipelineState,
  listActionExecutions,
  listPipelineExecutions,
  startPipelineExecution,
} from './operations.js';

export { ExecutionEngine, type ExecutionEngineOptions } from './engine.js';
export { nextStep, runOrderGroups, type Step, stageStatus } from './progress.js';

/** Pipeline executions: starting them and reading their state. */
export const executionOperations: OperationTable<CodePipelineContext> = {
  StartPipelineExecution: startPipelineExecution,
  GetPipelineExecution: getPipelineExecution,
  ListPipelineExecutions: listPipelineExecutions,
  ListActionExecutions: listActionExecutions,
  GetPipelineState: getPipelineState,
};
