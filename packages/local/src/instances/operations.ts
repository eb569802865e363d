import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AddTagsToOnPremisesInstancesInput,
  BatchGetOnPremisesInstancesInput,
  BatchGetOnPremisesInstancesOutput,
  DeregisterOnPremisesInstanceInput,
  GetOnPremisesInstanceInput,
  GetOnPremisesInstanceOutput,
  InstanceInfo,
  ListOnPremisesInstancesInput,
  ListOnPremisesInstancesOutput,
  RegisterOnPremisesInstanceInput,
  RemoveTagsFromOnPremisesInstancesInput,
  Tag,
} from '@aws-sdk/client-codedeploy';
import { tagFilterMatches } from '../engine/index.js';
import type { LocalState } from '../state/index.js';
import { instanceArn } from '../tags/arns.js';
import type { CodeDeployError } from '../wire/codedeploy-error.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';

/**
 * Instance names become folder names under the state dir, so they are held to the characters the
 * service allows (letters, digits, `.`, `_`, `-`; at most 100), which also keeps them inside it.
 */
const INSTANCE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/.+$/;
const IAM_SESSION_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[^/]+\/.+$/;
/** Instances per AddTags/RemoveTags/BatchGet call, and tags per instance (CodeDeploy quotas). */
const INSTANCE_LIMIT = 100;
const TAG_LIMIT = 10;

function validInstanceName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw codeDeployError('InstanceNameRequiredException');
  }
  if (!INSTANCE_NAME.test(name) || name === '.' || name === '..') {
    throw codeDeployError('InvalidInstanceNameException', `Value: ${name}.`);
  }
  return name;
}

function validInstanceNames(names: string[] | undefined): string[] {
  if (!names || names.length === 0) validInstanceName(undefined);
  const valid = (names ?? []).map(validInstanceName);
  if (valid.length > INSTANCE_LIMIT) {
    throw codeDeployError('InstanceLimitExceededException', `The limit is ${INSTANCE_LIMIT}.`);
  }
  return valid;
}

function isRegistered(instance: InstanceInfo | undefined): instance is InstanceInfo {
  return instance !== undefined && instance.deregisterTime === undefined;
}

function notRegistered(name: string): CodeDeployError {
  return codeDeployError(
    'InstanceNotRegisteredException',
    `The on-premises instance ${name} is not registered.`,
  );
}

/** Registers an instance (exactly one IAM identity) and creates its folder under the instances dir. */
export function registerOnPremisesInstance(
  input: RegisterOnPremisesInstanceInput,
  context: OperationContext,
): Record<string, never> {
  const state = context.store.state;
  const name = validInstanceName(input.instanceName);
  const { iamUserArn, iamSessionArn } = input;
  if (iamUserArn && iamSessionArn) {
    throw codeDeployError(
      'MultipleIamArnsProvidedException',
      'Both an IAM user ARN and an IAM session ARN were included in the request. Use only one ARN type.',
    );
  }
  if (!iamUserArn && !iamSessionArn) {
    throw codeDeployError('IamArnRequiredException');
  }
  if (iamUserArn && !IAM_USER_ARN.test(iamUserArn)) {
    throw codeDeployError('InvalidIamUserArnException', `Value: ${iamUserArn}.`);
  }
  if (iamSessionArn && !IAM_SESSION_ARN.test(iamSessionArn)) {
    throw codeDeployError('InvalidIamSessionArnException', `Value: ${iamSessionArn}.`);
  }
  if (isRegistered(state.instances[name])) {
    throw codeDeployError(
      'InstanceNameAlreadyRegisteredException',
      `The on-premises instance name ${name} is already registered.`,
    );
  }
  const registered = Object.values(state.instances).filter(isRegistered);
  if (iamUserArn && registered.some((instance) => instance.iamUserArn === iamUserArn)) {
    throw codeDeployError(
      'IamUserArnAlreadyRegisteredException',
      `The IAM user ARN ${iamUserArn} is already registered with an on-premises instance.`,
    );
  }
  if (iamSessionArn && registered.some((instance) => instance.iamSessionArn === iamSessionArn)) {
    throw codeDeployError(
      'IamSessionArnAlreadyRegisteredException',
      `The IAM session ARN ${iamSessionArn} is already registered with an on-premises instance.`,
    );
  }
  if (context.instancesDir) mkdirSync(join(context.instancesDir, name), { recursive: true });
  context.store.update((current) => {
    current.instances[name] = {
      instanceName: name,
      ...(iamUserArn ? { iamUserArn } : { iamSessionArn }),
      instanceArn: instanceArn(context, name),
      registerTime: context.now(),
      tags: [],
    };
  });
  return {};
}

/** Marks the instance deregistered (it stays readable, and out of deployments); unknown names are a no-op. */
export function deregisterOnPremisesInstance(
  input: DeregisterOnPremisesInstanceInput,
  context: OperationContext,
): Record<string, never> {
  const name = validInstanceName(input.instanceName);
  if (!isRegistered(context.store.state.instances[name])) return {};
  context.store.update((state) => {
    const instance = state.instances[name];
    if (instance) instance.deregisterTime = context.now();
  });
  return {};
}

function validTags(tags: Tag[] | undefined): Tag[] {
  if (!tags || tags.length === 0) throw codeDeployError('TagRequiredException');
  if (tags.some((tag) => !tag.Key)) {
    throw codeDeployError('InvalidTagException', 'Every tag needs a Key.');
  }
  return tags;
}

function requireAllRegistered(state: LocalState, names: string[]): InstanceInfo[] {
  return names.map((name) => {
    const instance = state.instances[name];
    if (!isRegistered(instance)) throw notRegistered(name);
    return instance;
  });
}

/** Adds tags (a key already present takes the new value), at most 10 per instance. */
export function addTagsToOnPremisesInstances(
  input: AddTagsToOnPremisesInstancesInput,
  context: OperationContext,
): Record<string, never> {
  const tags = validTags(input.tags);
  const names = validInstanceNames(input.instanceNames);
  const instances = requireAllRegistered(context.store.state, names);
  const merged = instances.map((instance) => {
    const byKey = new Map((instance.tags ?? []).map((tag) => [tag.Key, tag]));
    for (const tag of tags) byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value ?? '' });
    if (byKey.size > TAG_LIMIT) {
      throw codeDeployError(
        'TagLimitExceededException',
        `The maximum allowed number of tags (${TAG_LIMIT}) was exceeded for on-premises instance ${instance.instanceName}.`,
      );
    }
    return [...byKey.values()];
  });
  context.store.update(() => {
    instances.forEach((instance, index) => {
      instance.tags = merged[index];
    });
  });
  return {};
}

/** Removes tags matching by key (and by value when one is given). */
export function removeTagsFromOnPremisesInstances(
  input: RemoveTagsFromOnPremisesInstancesInput,
  context: OperationContext,
): Record<string, never> {
  const tags = validTags(input.tags);
  const names = validInstanceNames(input.instanceNames);
  const instances = requireAllRegistered(context.store.state, names);
  const removes = (tag: Tag) =>
    tags.some((gone) => gone.Key === tag.Key && (gone.Value === undefined || gone.Value === tag.Value));
  context.store.update(() => {
    for (const instance of instances) instance.tags = (instance.tags ?? []).filter((tag) => !removes(tag));
  });
  return {};
}

export function getOnPremisesInstance(
  input: GetOnPremisesInstanceInput,
  context: OperationContext,
): GetOnPremisesInstanceOutput {
  const name = validInstanceName(input.instanceName);
  const instance = context.store.state.instances[name];
  if (!instance) throw notRegistered(name);
  return { instanceInfo: structuredClone(instance) };
}

/** Known instances (registered or deregistered) come back; unknown names are left out. */
export function batchGetOnPremisesInstances(
  input: BatchGetOnPremisesInstancesInput,
  context: OperationContext,
): BatchGetOnPremisesInstancesOutput {
  const names = input.instanceNames ?? [];
  if (names.length === 0) validInstanceName(undefined);
  const infos = names.flatMap((name) => {
    const instance = context.store.state.instances[validInstanceName(name)];
    return instance ? [structuredClone(instance)] : [];
  });
  return { instanceInfos: infos };
}

/** Names sorted; registrationStatus filters, and an instance matches when any tag filter matches. */
export function listOnPremisesInstances(
  input: ListOnPremisesInstancesInput,
  context: OperationContext,
): ListOnPremisesInstancesOutput {
  const status = input.registrationStatus;
  const filters = input.tagFilters ?? [];
  for (const filter of filters) {
    const type = filter.Type ?? 'KEY_AND_VALUE';
    if (!['KEY_ONLY', 'VALUE_ONLY', 'KEY_AND_VALUE'].includes(type)) {
      throw codeDeployError('InvalidTagFilterException', `Value: ${JSON.stringify(filter)}.`);
    }
  }
  const names = Object.values(context.store.state.instances)
    .filter((instance) => {
      if (status === 'Registered') return isRegistered(instance);
      if (status === 'Deregistered') return !isRegistered(instance);
      return true;
    })
    .filter(
      (instance) =>
        filters.length === 0 ||
        filters.some((filter) =>
          tagFilterMatches({ ...filter, Type: filter.Type ?? 'KEY_AND_VALUE' }, instance.tags ?? []),
        ),
    )
    .map((instance) => instance.instanceName ?? '')
    .sort();
  const { items, nextToken } = pageOf(names, input.nextToken);
  return { instanceNames: items, ...(nextToken ? { nextToken } : {}) };
}
