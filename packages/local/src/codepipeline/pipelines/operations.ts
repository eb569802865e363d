import type {
  CreatePipelineInput,
  CreatePipelineOutput,
  GetPipelineInput,
  GetPipelineOutput,
  ListPipelinesInput,
  ListPipelinesOutput,
} from '@aws-sdk/client-codepipeline';
import { pageOf } from '../../wire/paging.js';
import { findActionType, validTags } from '../action-types/index.js';
import type { CodePipelineContext } from '../context.js';
import { CodePipelineError, optionalInteger } from '../errors.js';
import { publicDeclaration, requirePipeline } from './lookup.js';
import { validatePipeline } from './validation.js';

/** Stores a pipeline after CreatePipeline's checks. It does not start an execution (see README). */
export function createPipeline(
  input: CreatePipelineInput,
  context: CodePipelineContext,
): CreatePipelineOutput {
  const state = context.store.state;
  const declaration = validatePipeline(input.pipeline, (id) => findActionType(state, id));
  const tags = validTags(input.tags);
  const name = declaration.name ?? '';
  if (state.codePipeline.pipelines[name]) {
    throw new CodePipelineError(
      'PipelineNameInUseException',
      `A pipeline with the name ${name} already exists in account ${context.accountId}.`,
    );
  }
  const now = context.now();
  context.store.update((current) => {
    current.codePipeline.pipelines[name] = {
      declaration,
      arn: `arn:aws:codepipeline:${context.region}:${context.accountId}:${name}`,
      created: now,
      updated: now,
      tags,
    };
  });
  return { pipeline: publicDeclaration(state, declaration), ...(tags.length > 0 ? { tags } : {}) };
}

export function getPipeline(input: GetPipelineInput, context: CodePipelineContext): GetPipelineOutput {
  const pipeline = requirePipeline(context.store.state, input.name, context.accountId);
  const version = optionalInteger(input.version, 'version', 1);
  if (version !== undefined && version !== pipeline.declaration.version) {
    throw new CodePipelineError(
      'PipelineVersionNotFoundException',
      `Pipeline ${input.name} has no version ${version}; its latest version is ${pipeline.declaration.version}.`,
    );
  }
  return {
    pipeline: publicDeclaration(context.store.state, pipeline.declaration),
    metadata: { pipelineArn: pipeline.arn, created: pipeline.created, updated: pipeline.updated },
  };
}

export function listPipelines(input: ListPipelinesInput, context: CodePipelineContext): ListPipelinesOutput {
  const maxResults = optionalInteger(input.maxResults, 'maxResults', 1, 1000);
  const pipelines = Object.values(context.store.state.codePipeline.pipelines)
    .sort((a, b) => (a.declaration.name ?? '').localeCompare(b.declaration.name ?? ''))
    .map((pipeline) => ({
      name: pipeline.declaration.name,
      version: pipeline.declaration.version,
      pipelineType: pipeline.declaration.pipelineType,
      executionMode: pipeline.declaration.executionMode,
      created: pipeline.created,
      updated: pipeline.updated,
    }));
  const { items, nextToken } = pageOf(pipelines, input.nextToken, maxResults);
  return { pipelines: items, ...(nextToken ? { nextToken } : {}) };
}
