import { randomUUID } from 'node:crypto';
import type {
  ApplicationInfo,
  BatchGetDeploymentGroupsInput,
  BatchGetDeploymentGroupsOutput,
  CreateDeploymentGroupInput,
  CreateDeploymentGroupOutput,
  DeleteDeploymentGroupInput,
  DeleteDeploymentGroupOutput,
  DeploymentGroupInfo,
  GetDeploymentGroupInput,
  GetDeploymentGroupOutput,
  ListDeploymentGroupsInput,
  ListDeploymentGroupsOutput,
  UpdateDeploymentGroupInput,
  UpdateDeploymentGroupOutput,
} from '@aws-sdk/client-codedeploy';
import { requireApplication, validTagsToAdd } from '../applications/index.js';
import { requireDeploymentConfig } from '../deployment-configs/index.js';
import { groupKey } from '../engine/index.js';
import type { LocalState } from '../state/index.js';
import { deploymentGroupArn } from '../tags/arns.js';
import {
  codeDeployError,
  deploymentGroupAlreadyExists,
  deploymentGroupDoesNotExist,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import {
  validAlarms,
  validAutoRollback,
  validBlueGreenConfiguration,
  validDeploymentStyle,
  validEc2Selection,
  validEcsServices,
  validGroupName,
  validOnPremisesSelection,
  validServiceRoleArn,
  validTargetGroupPairs,
} from './validation.js';

/** The defaults the service fills in per compute platform when a group names none. */
const DEFAULT_CONFIG = {
  Server: 'CodeDeployDefault.OneAtATime',
  Lambda: 'CodeDeployDefault.LambdaAllAtOnce',
  ECS: 'CodeDeployDefault.ECSAllAtOnce',
};

/** The application and one of its groups, validated in the service's order. */
export function requireDeploymentGroup(
  state: LocalState,
  applicationName: unknown,
  groupName: unknown,
): DeploymentGroupInfo {
  const application = requireApplication(state, applicationName);
  const name = validGroupName(groupName);
  const group = state.deploymentGroups[groupKey(application.applicationName ?? '', name)];
  if (!group) throw deploymentGroupDoesNotExist(name);
  return group;
}

/** The settings Create and Update share, validated against the application's platform. */
type GroupSettings = Omit<
  UpdateDeploymentGroupInput,
  'applicationName' | 'currentDeploymentGroupName' | 'newDeploymentGroupName'
>;

function validateSettings(state: LocalState, application: ApplicationInfo, settings: GroupSettings): void {
  const platform = application.computePlatform ?? 'Server';
  if (settings.deploymentConfigName !== undefined) {
    const config = requireDeploymentConfig(state, settings.deploymentConfigName);
    if ((config.computePlatform ?? 'Server') !== platform) {
      throw codeDeployError(
        'InvalidDeploymentConfigNameException',
        `The deployment configuration ${settings.deploymentConfigName} is for the ${config.computePlatform} compute platform, but application ${application.applicationName} uses ${platform}.`,
      );
    }
  }
  validOnPremisesSelection(settings.onPremisesInstanceTagFilters, settings.onPremisesTagSet);
  validEc2Selection(settings.ec2TagFilters, settings.ec2TagSet);
  validAutoRollback(settings.autoRollbackConfiguration);
  validAlarms(settings.alarmConfiguration);
  validDeploymentStyle(settings.deploymentStyle, platform);
  if (platform === 'ECS') {
    validEcsServices(settings.ecsServices, false);
    validTargetGroupPairs(settings.loadBalancerInfo);
    validBlueGreenConfiguration(settings.blueGreenDeploymentConfiguration);
  }
}

export function createDeploymentGroup(
  input: CreateDeploymentGroupInput,
  context: OperationContext,
): CreateDeploymentGroupOutput {
  const state = context.store.state;
  const application = requireApplication(state, input.applicationName);
  const applicationName = application.applicationName ?? '';
  const name = validGroupName(input.deploymentGroupName);
  if (state.deploymentGroups[groupKey(applicationName, name)]) {
    throw deploymentGroupAlreadyExists(name);
  }
  validServiceRoleArn(input.serviceRoleArn, true);
  validateSettings(state, application, input);
  if (application.computePlatform === 'ECS') validEcsServices(input.ecsServices, true);
  const tags = validTagsToAdd(input.tags);
  const platform = application.computePlatform ?? 'Server';
  const deploymentGroupId = randomUUID();
  const group: DeploymentGroupInfo = {
    applicationName,
    deploymentGroupId,
    deploymentGroupName: name,
    deploymentConfigName: input.deploymentConfigName ?? DEFAULT_CONFIG[platform],
    ec2TagFilters: input.ec2TagFilters ?? [],
    onPremisesInstanceTagFilters: input.onPremisesInstanceTagFilters ?? [],
    autoScalingGroups: (input.autoScalingGroups ?? []).map((asg) => ({ name: asg })),
    serviceRoleArn: input.serviceRoleArn,
    triggerConfigurations: input.triggerConfigurations ?? [],
    alarmConfiguration: input.alarmConfiguration ?? {
      enabled: false,
      ignorePollAlarmFailure: false,
      alarms: [],
    },
    autoRollbackConfiguration: input.autoRollbackConfiguration ?? { enabled: false, events: [] },
    deploymentStyle: {
      deploymentType:
        input.deploymentStyle?.deploymentType ?? (platform === 'Server' ? 'IN_PLACE' : 'BLUE_GREEN'),
      deploymentOption:
        input.deploymentStyle?.deploymentOption ??
        (platform === 'Server' ? 'WITHOUT_TRAFFIC_CONTROL' : 'WITH_TRAFFIC_CONTROL'),
    },
    outdatedInstancesStrategy: input.outdatedInstancesStrategy ?? 'UPDATE',
    ...(input.blueGreenDeploymentConfiguration
      ? { blueGreenDeploymentConfiguration: input.blueGreenDeploymentConfiguration }
      : {}),
    ...(input.loadBalancerInfo ? { loadBalancerInfo: input.loadBalancerInfo } : {}),
    ...(input.ec2TagSet ? { ec2TagSet: input.ec2TagSet } : {}),
    ...(input.onPremisesTagSet ? { onPremisesTagSet: input.onPremisesTagSet } : {}),
    ...(input.ecsServices ? { ecsServices: input.ecsServices } : {}),
    computePlatform: platform,
    terminationHookEnabled: input.terminationHookEnabled ?? false,
  };
  context.store.update((current) => {
    current.deploymentGroups[groupKey(applicationName, name)] = group;
    if (tags.length > 0) current.tags[deploymentGroupArn(context, applicationName, name)] = tags;
  });
  return { deploymentGroupId };
}

export function getDeploymentGroup(
  input: GetDeploymentGroupInput,
  context: OperationContext,
): GetDeploymentGroupOutput {
  const group = requireDeploymentGroup(context.store.state, input.applicationName, input.deploymentGroupName);
  return { deploymentGroupInfo: structuredClone(group) };
}

/** Known groups come back; unknown names are reported in errorMessage rather than failing the call. */
export function batchGetDeploymentGroups(
  input: BatchGetDeploymentGroupsInput,
  context: OperationContext,
): BatchGetDeploymentGroupsOutput {
  const state = context.store.state;
  const application = requireApplication(state, input.applicationName);
  const names = input.deploymentGroupNames ?? [];
  if (names.length === 0) validGroupName(undefined);
  const found: DeploymentGroupInfo[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const group = state.deploymentGroups[groupKey(application.applicationName ?? '', validGroupName(name))];
    if (group) found.push(structuredClone(group));
    else missing.push(name);
  }
  return {
    deploymentGroupsInfo: found,
    ...(missing.length > 0
      ? { errorMessage: `No Deployment Group found for name: ${missing.join(', ')}` }
      : {}),
  };
}

export function listDeploymentGroups(
  input: ListDeploymentGroupsInput,
  context: OperationContext,
): ListDeploymentGroupsOutput {
  const state = context.store.state;
  const applicationName = requireApplication(state, input.applicationName).applicationName ?? '';
  const names = Object.values(state.deploymentGroups)
    .filter((group) => group.applicationName === applicationName)
    .map((group) => group.deploymentGroupName ?? '')
    .sort();
  const { items, nextToken } = pageOf(names, input.nextToken);
  return { applicationName, deploymentGroups: items, ...(nextToken ? { nextToken } : {}) };
}

/** Changes only what the request names; a new name moves the group's tags, deployments and revisions. */
export function updateDeploymentGroup(
  input: UpdateDeploymentGroupInput,
  context: OperationContext,
): UpdateDeploymentGroupOutput {
  const state = context.store.state;
  const application = requireApplication(state, input.applicationName);
  const applicationName = application.applicationName ?? '';
  const current = requireDeploymentGroup(state, applicationName, input.currentDeploymentGroupName);
  const oldName = current.deploymentGroupName ?? '';
  const newName =
    input.newDeploymentGroupName === undefined ? oldName : validGroupName(input.newDeploymentGroupName);
  if (newName !== oldName && state.deploymentGroups[groupKey(applicationName, newName)]) {
    throw deploymentGroupAlreadyExists(newName);
  }
  validServiceRoleArn(input.serviceRoleArn, false);
  validateSettings(state, application, input);
  // The effective selection after the update must still be filters XOR set.
  validOnPremisesSelection(
    input.onPremisesInstanceTagFilters ??
      (input.onPremisesTagSet ? [] : current.onPremisesInstanceTagFilters),
    input.onPremisesTagSet ?? (input.onPremisesInstanceTagFilters ? undefined : current.onPremisesTagSet),
  );
  context.store.update((next) => {
    const group = next.deploymentGroups[groupKey(applicationName, oldName)];
    if (!group) return;
    const patch: Partial<DeploymentGroupInfo> = {
      deploymentConfigName: input.deploymentConfigName,
      ec2TagFilters: input.ec2TagFilters,
      onPremisesInstanceTagFilters: input.onPremisesInstanceTagFilters,
      autoScalingGroups: input.autoScalingGroups?.map((asg) => ({ name: asg })),
      serviceRoleArn: input.serviceRoleArn,
      triggerConfigurations: input.triggerConfigurations,
      alarmConfiguration: input.alarmConfiguration,
      autoRollbackConfiguration: input.autoRollbackConfiguration,
      outdatedInstancesStrategy: input.outdatedInstancesStrategy,
      deploymentStyle: input.deploymentStyle
        ? { ...group.deploymentStyle, ...input.deploymentStyle }
        : undefined,
      blueGreenDeploymentConfiguration: input.blueGreenDeploymentConfiguration,
      loadBalancerInfo: input.loadBalancerInfo,
      ec2TagSet: input.ec2TagSet,
      onPremisesTagSet: input.onPremisesTagSet,
      ecsServices: input.ecsServices,
      terminationHookEnabled: input.terminationHookEnabled,
    };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (group as Record<string, unknown>)[key] = value;
    }
    if (input.onPremisesTagSet && input.onPremisesInstanceTagFilters === undefined)
      group.onPremisesInstanceTagFilters = [];
    if (input.onPremisesInstanceTagFilters && input.onPremisesTagSet === undefined)
      delete group.onPremisesTagSet;
    if (newName !== oldName) renameGroup(next, context, applicationName, oldName, newName);
  });
  return { hooksNotCleanedUp: [] };
}

function renameGroup(
  state: LocalState,
  context: OperationContext,
  app: string,
  oldName: string,
  newName: string,
): void {
  const group = state.deploymentGroups[groupKey(app, oldName)];
  if (!group) return;
  delete state.deploymentGroups[groupKey(app, oldName)];
  group.deploymentGroupName = newName;
  state.deploymentGroups[groupKey(app, newName)] = group;
  const tags = state.tags[deploymentGroupArn(context, app, oldName)];
  if (tags) {
    delete state.tags[deploymentGroupArn(context, app, oldName)];
    state.tags[deploymentGroupArn(context, app, newName)] = tags;
  }
  for (const { info } of Object.values(state.deployments)) {
    if (info.applicationName === app && info.deploymentGroupName === oldName)
      info.deploymentGroupName = newName;
  }
  for (const revision of Object.values(state.revisions)) {
    if (revision.applicationName !== app) continue;
    revision.info.deploymentGroups = revision.info.deploymentGroups?.map((name) =>
      name === oldName ? newName : name,
    );
  }
}

/** Deletes a group and its tags; an unknown group is a no-op, as on the service. */
export function deleteDeploymentGroup(
  input: DeleteDeploymentGroupInput,
  context: OperationContext,
): DeleteDeploymentGroupOutput {
  const state = context.store.state;
  const applicationName = requireApplication(state, input.applicationName).applicationName ?? '';
  const name = validGroupName(input.deploymentGroupName);
  if (!state.deploymentGroups[groupKey(applicationName, name)]) return { hooksNotCleanedUp: [] };
  context.store.update((current) => {
    delete current.deploymentGroups[groupKey(applicationName, name)];
    delete current.tags[deploymentGroupArn(context, applicationName, name)];
    for (const revision of Object.values(current.revisions)) {
      if (revision.applicationName !== applicationName) continue;
      revision.info.deploymentGroups = revision.info.deploymentGroups?.filter((group) => group !== name);
    }
  });
  return { hooksNotCleanedUp: [] };
}
