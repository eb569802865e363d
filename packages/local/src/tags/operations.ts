import type {
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  Tag,
  TagResourceInput,
  UntagResourceInput,
} from '@aws-sdk/client-codedeploy';
import { findDeploymentConfig } from '../deployment-configs/index.js';
import { groupKey } from '../engine/index.js';
import type { LocalState } from '../state/index.js';
import {
  applicationDoesNotExist,
  codeDeployError,
  deploymentConfigDoesNotExist,
  deploymentGroupDoesNotExist,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { parseResourceArn } from './arns.js';

/** Tags per resource (CodeDeploy quotas: 50 user tags per resource). */
const TAG_LIMIT = 50;

/** The ARN's resource, which must exist; the modelled errors for missing, malformed and foreign ARNs. */
function requireTaggable(state: LocalState, arn: string | undefined): string {
  if (!arn) throw codeDeployError('ResourceArnRequiredException');
  const resource = parseResourceArn(arn);
  if (resource === 'invalid') throw codeDeployError('InvalidArnException', `Value: ${arn}.`);
  if (resource === 'unsupported')
    throw codeDeployError('ArnNotSupportedException', `The specified ARN is not supported: ${arn}`);
  switch (resource.kind) {
    case 'application':
      if (!state.applications[resource.applicationName])
        throw applicationDoesNotExist(resource.applicationName);
      break;
    case 'deploymentgroup':
      if (!state.applications[resource.applicationName])
        throw applicationDoesNotExist(resource.applicationName);
      if (!state.deploymentGroups[groupKey(resource.applicationName, resource.deploymentGroupName)]) {
        throw deploymentGroupDoesNotExist(resource.deploymentGroupName);
      }
      break;
    case 'deploymentconfig':
      if (!findDeploymentConfig(state, resource.deploymentConfigName)) {
        throw deploymentConfigDoesNotExist(resource.deploymentConfigName);
      }
      break;
  }
  return arn;
}

export function tagResource(input: TagResourceInput, context: OperationContext): Record<string, never> {
  const arn = requireTaggable(context.store.state, input.ResourceArn);
  const tags = input.Tags ?? [];
  if (tags.length === 0) throw codeDeployError('TagRequiredException');
  if (tags.some((tag) => !tag.Key)) {
    throw codeDeployError('InvalidTagsToAddException', 'Every tag needs a Key.');
  }
  const byKey = new Map<string | undefined, Tag>(
    (context.store.state.tags[arn] ?? []).map((tag) => [tag.Key, tag]),
  );
  for (const tag of tags) byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value ?? '' });
  if (byKey.size > TAG_LIMIT) {
    throw codeDeployError('InvalidTagsToAddException', `A resource can have at most ${TAG_LIMIT} tags.`);
  }
  context.store.update((state) => {
    state.tags[arn] = [...byKey.values()];
  });
  return {};
}

export function untagResource(input: UntagResourceInput, context: OperationContext): Record<string, never> {
  const arn = requireTaggable(context.store.state, input.ResourceArn);
  const keys = input.TagKeys ?? [];
  if (keys.length === 0) throw codeDeployError('TagRequiredException');
  context.store.update((state) => {
    const remaining = (state.tags[arn] ?? []).filter((tag) => !keys.includes(tag.Key ?? ''));
    if (remaining.length > 0) state.tags[arn] = remaining;
    else delete state.tags[arn];
  });
  return {};
}

export function listTagsForResource(
  input: ListTagsForResourceInput,
  context: OperationContext,
): ListTagsForResourceOutput {
  const arn = requireTaggable(context.store.state, input.ResourceArn);
  const { items, nextToken } = pageOf(structuredClone(context.store.state.tags[arn] ?? []), input.NextToken);
  return { Tags: items, ...(nextToken ? { NextToken: nextToken } : {}) };
}
