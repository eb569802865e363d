import { randomUUID } from 'node:crypto';
import type {
  BatchGetApplicationsInput,
  BatchGetApplicationsOutput,
  ComputePlatform,
  CreateApplicationInput,
  CreateApplicationOutput,
  DeleteApplicationInput,
  GetApplicationInput,
  GetApplicationOutput,
  ListApplicationsInput,
  ListApplicationsOutput,
  Tag,
  UpdateApplicationInput,
} from '@aws-sdk/client-codedeploy';
import type { LocalState } from '../state/index.js';
import { applicationArn, deploymentGroupArn } from '../tags/arns.js';
import {
  applicationAlreadyExists,
  applicationDoesNotExist,
  codeDeployError,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { requireApplication, validApplicationName } from './lookup.js';

export function createApplication(
  input: CreateApplicationInput,
  context: OperationContext,
): CreateApplicationOutput {
  const applicationName = validApplicationName(input.applicationName);
  const computePlatform = validComputePlatform(input.computePlatform);
  const tags = validTagsToAdd(input.tags);
  if (context.store.state.applications[applicationName]) {
    throw applicationAlreadyExists(applicationName);
  }
  const applicationId = randomUUID();
  context.store.update((state) => {
    state.applications[applicationName] = {
      applicationId,
      applicationName,
      createTime: context.now(),
      linkedToGitHub: false,
      computePlatform,
    };
    if (tags.length > 0) state.tags[applicationArn(context, applicationName)] = tags;
  });
  return { applicationId };
}

export function getApplication(input: GetApplicationInput, context: OperationContext): GetApplicationOutput {
  return { application: structuredClone(requireApplication(context.store.state, input.applicationName)) };
}

export function batchGetApplications(
  input: BatchGetApplicationsInput,
  context: OperationContext,
): BatchGetApplicationsOutput {
  const names = input.applicationNames ?? [];
  if (names.length === 0) validApplicationName(undefined);
  return {
    applicationsInfo: names.map((name) => structuredClone(requireApplication(context.store.state, name))),
  };
}

export function listApplications(
  input: ListApplicationsInput,
  context: OperationContext,
): ListApplicationsOutput {
  const names = Object.keys(context.store.state.applications).sort();
  const { items, nextToken } = pageOf(names, input.nextToken);
  return { applications: items, ...(nextToken ? { nextToken } : {}) };
}

/** Deletes the application with its deployment groups, revisions and tags; an unknown name is a no-op. */
export function deleteApplication(
  input: DeleteApplicationInput,
  context: OperationContext,
): Record<string, never> {
  const applicationName = validApplicationName(input.applicationName);
  if (!context.store.state.applications[applicationName]) return {};
  context.store.update((state) => {
    delete state.applications[applicationName];
    delete state.tags[applicationArn(context, applicationName)];
    for (const [key, group] of Object.entries(state.deploymentGroups)) {
      if (group.applicationName !== applicationName) continue;
      delete state.deploymentGroups[key];
      delete state.tags[deploymentGroupArn(context, applicationName, group.deploymentGroupName ?? '')];
    }
    for (const [key, revision] of Object.entries(state.revisions)) {
      if (revision.applicationName === applicationName) delete state.revisions[key];
    }
  });
  return {};
}

/** Renames an application; its groups, revisions, deployments and tags follow the new name. */
export function updateApplication(
  input: UpdateApplicationInput,
  context: OperationContext,
): Record<string, never> {
  const state = context.store.state;
  const oldName = validApplicationName(input.applicationName);
  const newName = validApplicationName(input.newApplicationName);
  if (!state.applications[oldName]) throw applicationDoesNotExist(oldName);
  if (oldName === newName) return {};
  if (state.applications[newName]) {
    throw applicationAlreadyExists(newName);
  }
  context.store.update((current) => renameApplication(current, context, oldName, newName));
  return {};
}

function renameApplication(
  state: LocalState,
  context: OperationContext,
  oldName: string,
  newName: string,
): void {
  const application = state.applications[oldName];
  if (!application) return;
  delete state.applications[oldName];
  state.applications[newName] = { ...application, applicationName: newName };
  moveTags(state, applicationArn(context, oldName), applicationArn(context, newName));
  for (const [key, group] of Object.entries(state.deploymentGroups)) {
    if (group.applicationName !== oldName) continue;
    const groupName = group.deploymentGroupName ?? '';
    delete state.deploymentGroups[key];
    state.deploymentGroups[`${newName}/${groupName}`] = { ...group, applicationName: newName };
    moveTags(
      state,
      deploymentGroupArn(context, oldName, groupName),
      deploymentGroupArn(context, newName, groupName),
    );
  }
  for (const [key, revision] of Object.entries(state.revisions)) {
    if (revision.applicationName !== oldName) continue;
    delete state.revisions[key];
    state.revisions[`${newName}/${key.slice(oldName.length + 1)}`] = {
      ...revision,
      applicationName: newName,
    };
  }
  for (const deployment of Object.values(state.deployments)) {
    if (deployment.info.applicationName === oldName) deployment.info.applicationName = newName;
  }
}

function moveTags(state: LocalState, from: string, to: string): void {
  const tags = state.tags[from];
  if (!tags) return;
  delete state.tags[from];
  state.tags[to] = tags;
}

/** Server unless given (other values are refused by the model's enum before this handler runs). */
function validComputePlatform(value: string | undefined): ComputePlatform {
  return (value ?? 'Server') as ComputePlatform;
}

/** Tags given at creation (CreateApplication, CreateDeploymentGroup): each needs a key. */
export function validTagsToAdd(tags: Tag[] | undefined): Tag[] {
  const given = tags ?? [];
  if (given.some((tag) => !tag.Key)) {
    throw codeDeployError('InvalidTagsToAddException', 'Every tag needs a Key.');
  }
  return given.map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' }));
}
