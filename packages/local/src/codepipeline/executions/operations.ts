import type {
  GetPipelineExecutionInput,
  GetPipelineExecutionOutput,
  GetPipelineStateInput,
  GetPipelineStateOutput,
  ListActionExecutionsInput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsInput,
  ListPipelineExecutionsOutput,
  StartPipelineExecutionInput,
  StartPipelineExecutionOutput,
} from '@aws-sdk/client-codepipeline';
import type { PipelineExecutionRecord } from '../../state/index.js';
import { pageOf } from '../../wire/paging.js';
import type { CodePipelineContext } from '../context.js';
import { CodePipelineError, optionalInteger, requiredString, UUID_RULE } from '../errors.js';
import { requirePipeline } from '../pipelines/index.js';
import {
  actionExecutionDetail,
  actionExecutionsOf,
  executionSummary,
  executionsOf,
  stageStates,
} from './views.js';

/** ListPipelineExecutions and ListActionExecutions return up to 100 items a page. */
const MAX_RESULTS = 100;

export function startPipelineExecution(
  input: StartPipelineExecutionInput,
  context: CodePipelineContext,
): StartPipelineExecutionOutput {
  const pipeline = requirePipeline(context.store.state, input.name, context.accountId);
  return { pipelineExecutionId: context.executions.start(pipeline) };
}

export function getPipelineExecution(
  input: GetPipelineExecutionInput,
  context: CodePipelineContext,
): GetPipelineExecutionOutput {
  requirePipeline(context.store.state, input.pipelineName, context.accountId, 'pipelineName');
  const record = requireExecution(context, input.pipelineName ?? '', input.pipelineExecutionId);
  return { pipelineExecution: structuredClone(record.execution) };
}

export function listPipelineExecutions(
  input: ListPipelineExecutionsInput,
  context: CodePipelineContext,
): ListPipelineExecutionsOutput {
  const { name, maxResults } = listing(input, context);
  const summaries = executionsOf(context.store.state, name).map(executionSummary);
  const { items, nextToken } = pageOf(summaries, input.nextToken, maxResults);
  return { pipelineExecutionSummaries: items, ...(nextToken ? { nextToken } : {}) };
}

/** Every run of every action of the pipeline (or of one execution), newest first. */
export function listActionExecutions(
  input: ListActionExecutionsInput,
  context: CodePipelineContext,
): ListActionExecutionsOutput {
  const state = context.store.state;
  const { name, maxResults } = listing(input, context);
  const wanted = input.filter?.pipelineExecutionId;
  const executions =
    wanted === undefined ? executionsOf(state, name) : [requireExecution(context, name, wanted)];
  const ids = new Set(executions.map((record) => record.execution.pipelineExecutionId ?? ''));
  const details = actionExecutionsOf(state, ids).map((record) => actionExecutionDetail(state, record));
  const { items, nextToken } = pageOf(details, input.nextToken, maxResults);
  return { actionExecutionDetails: items, ...(nextToken ? { nextToken } : {}) };
}

export function getPipelineState(
  input: GetPipelineStateInput,
  context: CodePipelineContext,
): GetPipelineStateOutput {
  const pipeline = requirePipeline(context.store.state, input.name, context.accountId);
  return {
    pipelineName: pipeline.declaration.name,
    pipelineVersion: pipeline.declaration.version,
    stageStates: stageStates(context.store.state, pipeline),
    created: pipeline.created,
    updated: pipeline.updated,
  };
}

/** The pipeline a listing is of, and the page size asked for (1 to 100, default 100). */
function listing(
  input: { pipelineName?: string | undefined; maxResults?: number | undefined },
  context: CodePipelineContext,
): { name: string; maxResults: number } {
  const pipeline = requirePipeline(
    context.store.state,
    input.pipelineName,
    context.accountId,
    'pipelineName',
  );
  return {
    name: pipeline.declaration.name ?? '',
    maxResults: optionalInteger(input.maxResults, 'maxResults', 1, MAX_RESULTS) ?? MAX_RESULTS,
  };
}

function requireExecution(
  context: CodePipelineContext,
  pipelineName: string,
  pipelineExecutionId: unknown,
): PipelineExecutionRecord {
  const id = requiredString(pipelineExecutionId, 'pipelineExecutionId', UUID_RULE);
  const record = context.store.state.codePipeline.executions[id];
  if (!record || record.execution.pipelineName !== pipelineName) {
    throw new CodePipelineError(
      'PipelineExecutionNotFoundException',
      `Pipeline execution with id ${id} does not exist in pipeline with name ${pipelineName}.`,
    );
  }
  return record;
}
