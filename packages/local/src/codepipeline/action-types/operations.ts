import type {
  ActionConfigurationProperty,
  ActionConfigurationPropertyType,
  ActionTypeSettings,
  ArtifactDetails,
  CreateCustomActionTypeInput,
  CreateCustomActionTypeOutput,
  ListActionTypesInput,
  ListActionTypesOutput,
  Tag,
} from '@aws-sdk/client-codepipeline';
import { pageOf } from '../../wire/paging.js';
import type { CodePipelineContext } from '../context.js';
import {
  CodePipelineError,
  constraintViolation,
  enumValue,
  optionalInteger,
  optionalString,
  requiredString,
} from '../errors.js';
import { BUILT_IN_ACTION_TYPES } from './built-ins.js';
import {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  actionTypeKey,
  describeActionType,
  PROVIDER_RULE,
  VERSION_RULE,
} from './lookup.js';

/** Quotas from the CodePipeline user guide and the API model. */
const MAX_CUSTOM_ACTION_TYPES = 50;
const MAX_CONFIGURATION_PROPERTIES = 10;
const MAX_ARTIFACTS = 5;
const URL_RULE = { max: 2048 } as const;
const PROPERTY_TYPES: readonly ActionConfigurationPropertyType[] = ['String', 'Number', 'Boolean'];

/**
 * Registers a custom action type; the owner is always `Custom`. Registering the same
 * category/provider/version twice is refused (a new definition needs a new version).
 */
export function createCustomActionType(
  input: CreateCustomActionTypeInput,
  context: CodePipelineContext,
): CreateCustomActionTypeOutput {
  const id = {
    category: enumValue(input.category, 'category', ACTION_CATEGORIES),
    owner: 'Custom' as const,
    provider: requiredString(input.provider, 'provider', PROVIDER_RULE),
    version: requiredString(input.version, 'version', VERSION_RULE),
  };
  const actionType = {
    id,
    settings: validSettings(input.settings),
    actionConfigurationProperties: validProperties(input.configurationProperties),
    inputArtifactDetails: validArtifactDetails(input.inputArtifactDetails, 'inputArtifactDetails'),
    outputArtifactDetails: validArtifactDetails(input.outputArtifactDetails, 'outputArtifactDetails'),
  };
  const tags = validTags(input.tags);
  const types = context.store.state.codePipeline.actionTypes;
  if (types[actionTypeKey(id)]) {
    throw new CodePipelineError(
      'ValidationException',
      `${describeActionType(id)} already exists; register a changed definition under a new version`,
    );
  }
  if (Object.keys(types).length >= MAX_CUSTOM_ACTION_TYPES) {
    throw new CodePipelineError(
      'LimitExceededException',
      `The number of custom action types in this account has reached the limit of ${MAX_CUSTOM_ACTION_TYPES}`,
    );
  }
  context.store.update((state) => {
    state.codePipeline.actionTypes[actionTypeKey(id)] = { actionType, tags };
  });
  return { actionType: structuredClone(actionType), ...(tags.length > 0 ? { tags } : {}) };
}

/** The built-in AWS action types the local CodePipeline runs, then the custom ones, by owner if asked. */
export function listActionTypes(
  input: ListActionTypesInput,
  context: CodePipelineContext,
): ListActionTypesOutput {
  const owner =
    input.actionOwnerFilter === undefined
      ? undefined
      : enumValue(input.actionOwnerFilter, 'actionOwnerFilter', ACTION_OWNERS);
  const all = [
    ...BUILT_IN_ACTION_TYPES,
    ...Object.values(context.store.state.codePipeline.actionTypes).map((record) => record.actionType),
  ].filter((type) => owner === undefined || type.id?.owner === owner);
  const { items, nextToken } = pageOf(all, input.nextToken);
  return { actionTypes: structuredClone(items), ...(nextToken ? { nextToken } : {}) };
}

function validSettings(settings: ActionTypeSettings | undefined): ActionTypeSettings | undefined {
  if (settings === undefined) return undefined;
  return {
    thirdPartyConfigurationUrl: optionalString(
      settings.thirdPartyConfigurationUrl,
      'settings.thirdPartyConfigurationUrl',
      URL_RULE,
    ),
    entityUrlTemplate: optionalString(settings.entityUrlTemplate, 'settings.entityUrlTemplate', URL_RULE),
    executionUrlTemplate: optionalString(
      settings.executionUrlTemplate,
      'settings.executionUrlTemplate',
      URL_RULE,
    ),
    revisionUrlTemplate: optionalString(
      settings.revisionUrlTemplate,
      'settings.revisionUrlTemplate',
      URL_RULE,
    ),
  };
}

/** Configuration properties: at most 10, and at most one queryable, which must be required and not secret. */
function validProperties(
  properties: ActionConfigurationProperty[] | undefined,
): ActionConfigurationProperty[] {
  const given = properties ?? [];
  if (given.length > MAX_CONFIGURATION_PROPERTIES) {
    throw constraintViolation(
      `[${given.map((p) => p.name).join(', ')}]`,
      'configurationProperties',
      `Member must have length less than or equal to ${MAX_CONFIGURATION_PROPERTIES}`,
    );
  }
  const valid = given.map((property, index) => {
    const path = `configurationProperties.${index + 1}.member`;
    return {
      name: requiredString(property.name, `${path}.name`, { max: 50 }),
      required: requiredBoolean(property.required, `${path}.required`),
      key: requiredBoolean(property.key, `${path}.key`),
      secret: requiredBoolean(property.secret, `${path}.secret`),
      queryable: property.queryable ?? false,
      description: optionalString(property.description, `${path}.description`, { max: 160 }),
      type:
        property.type === undefined ? undefined : enumValue(property.type, `${path}.type`, PROPERTY_TYPES),
    };
  });
  const queryable = valid.filter((property) => property.queryable);
  if (queryable.length > 1) {
    throw new CodePipelineError(
      'ValidationException',
      'An action type can have at most one queryable property',
    );
  }
  const [query] = queryable;
  if (query && (!query.required || query.secret)) {
    throw new CodePipelineError(
      'ValidationException',
      `Queryable property '${query.name}' must be required and not secret`,
    );
  }
  return valid;
}

function validArtifactDetails(details: ArtifactDetails | undefined, path: string): ArtifactDetails {
  if (details === undefined || details === null)
    throw constraintViolation(details, path, 'Member must not be null');
  const minimumCount = requiredCount(details.minimumCount, `${path}.minimumCount`);
  const maximumCount = requiredCount(details.maximumCount, `${path}.maximumCount`);
  if (minimumCount > maximumCount) {
    throw new CodePipelineError(
      'ValidationException',
      `${path}: minimumCount (${minimumCount}) is greater than maximumCount (${maximumCount})`,
    );
  }
  return { minimumCount, maximumCount };
}

function requiredCount(value: unknown, path: string): number {
  const count = optionalInteger(value, path, 0, MAX_ARTIFACTS);
  if (count === undefined) throw constraintViolation(value, path, 'Member must not be null');
  return count;
}

function requiredBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw constraintViolation(value, path, 'Member must not be null');
  return value;
}

/** Tags (`{key, value}`, lower case unlike CodeDeploy's). */
export function validTags(tags: Tag[] | undefined): Tag[] {
  return (tags ?? []).map((tag, index) => ({
    key: requiredString(tag.key, `tags.${index + 1}.member.key`, { max: 128 }),
    value: requiredString(tag.value, `tags.${index + 1}.member.value`, { min: 0, max: 256 }),
  }));
}
