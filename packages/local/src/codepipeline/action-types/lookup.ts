import type { ActionCategory, ActionOwner, ActionType, ActionTypeId } from '@aws-sdk/client-codepipeline';
import type { LocalState } from '../../state/index.js';
import { CodePipelineError, enumValue, requiredString } from '../errors.js';
import { BUILT_IN_ACTION_TYPES } from './built-ins.js';

export const ACTION_CATEGORIES: readonly ActionCategory[] = [
  'Source',
  'Build',
  'Deploy',
  'Test',
  'Invoke',
  'Approval',
  'Compute',
];
export const ACTION_OWNERS: readonly ActionOwner[] = ['AWS', 'ThirdParty', 'Custom'];
export const PROVIDER_RULE = { max: 35, pattern: '[0-9A-Za-z_-]+' } as const;
export const VERSION_RULE = { max: 9, pattern: '[0-9A-Za-z_-]+' } as const;

/** The key custom action types are stored under. */
export function actionTypeKey(id: ActionTypeId): string {
  return `${id.category}/${id.owner}/${id.provider}/${id.version}`;
}

export function sameActionTypeId(a: ActionTypeId | undefined, b: ActionTypeId | undefined): boolean {
  return a !== undefined && b !== undefined && actionTypeKey(a) === actionTypeKey(b);
}

/** An ActionTypeId member checked against the model (enums, provider and version patterns). */
export function validActionTypeId(value: ActionTypeId | undefined, path: string): ActionTypeId {
  return {
    category: enumValue(value?.category, `${path}.category`, ACTION_CATEGORIES),
    owner: enumValue(value?.owner, `${path}.owner`, ACTION_OWNERS),
    provider: requiredString(value?.provider, `${path}.provider`, PROVIDER_RULE),
    version: requiredString(value?.version, `${path}.version`, VERSION_RULE),
  };
}

/** A built-in AWS action type or a registered custom one; undefined when there is none. */
export function findActionType(state: LocalState, id: ActionTypeId): ActionType | undefined {
  if (id.owner === 'Custom') return state.codePipeline.actionTypes[actionTypeKey(id)]?.actionType;
  return BUILT_IN_ACTION_TYPES.find((type) => sameActionTypeId(type.id, id));
}

/** The service's name for an action type in PollForJobs errors. */
export function describeActionType(id: ActionTypeId): string {
  return `ActionType (Category: '${id.category}', Owner: '${id.owner}', Provider: '${id.provider}', Version: '${id.version}')`;
}

/**
 * The custom action type a job worker polls for. PollForJobs serves custom actions only: another owner
 * is a ValidationException, an unregistered type ActionTypeNotFoundException (the service's wording).
 */
export function requireCustomActionType(state: LocalState, value: ActionTypeId | undefined): ActionType {
  const id = validActionTypeId(value, 'actionTypeId');
  if (id.owner !== 'Custom') {
    throw new CodePipelineError(
      'ValidationException',
      `ActionType with owner '${id.owner}' is not supported`,
    );
  }
  const type = findActionType(state, id);
  if (!type)
    throw new CodePipelineError('ActionTypeNotFoundException', `${describeActionType(id)} is not available`);
  return type;
}
