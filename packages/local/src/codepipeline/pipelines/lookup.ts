import type { PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { LocalState, PipelineRecord } from '../../state/index.js';
import { findActionType } from '../action-types/index.js';
import { CodePipelineError, requiredString } from '../errors.js';

export const PIPELINE_NAME_RULE = { max: 100, pattern: '[A-Za-z0-9.@\\-_]+' } as const;
/** How secret configuration values show outside the job APIs. */
export const SECRET_MASK = '****';

/** The named pipeline, or PipelineNotFoundException in the service's words. */
export function requirePipeline(
  state: LocalState,
  name: unknown,
  accountId: string,
  path = 'name',
): PipelineRecord {
  const pipelineName = requiredString(name, path, PIPELINE_NAME_RULE);
  const pipeline = state.codePipeline.pipelines[pipelineName];
  if (!pipeline) {
    throw new CodePipelineError(
      'PipelineNotFoundException',
      `Pipeline with name ${pipelineName} does not exist in account ${accountId}.`,
    );
  }
  return pipeline;
}

/**
 * A copy of an action's configuration with the values of secret properties masked: "Secrets are
 * hidden from all calls except for GetJobDetails, GetThirdPartyJobDetails, PollForJobs, and
 * PollForThirdPartyJobs."
 */
export function maskSecrets(
  state: LocalState,
  actionTypeId: Parameters<typeof findActionType>[1] | undefined,
  configuration: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (configuration === undefined) return undefined;
  const properties =
    (actionTypeId && findActionType(state, actionTypeId)?.actionConfigurationProperties) ?? [];
  return Object.fromEntries(
    Object.entries(configuration).map(([key, value]) => [
      key,
      properties.some((property) => property.name === key && property.secret) ? SECRET_MASK : value,
    ]),
  );
}

/** The declaration as GetPipeline and CreatePipeline answer it: secrets masked. */
export function publicDeclaration(state: LocalState, declaration: PipelineDeclaration): PipelineDeclaration {
  const copy = structuredClone(declaration);
  for (const stage of copy.stages ?? []) {
    for (const action of stage.actions ?? []) {
      action.configuration = maskSecrets(state, action.actionTypeId, action.configuration);
    }
  }
  return copy;
}
