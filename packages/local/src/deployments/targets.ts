import type {
  BatchGetDeploymentInstancesInput,
  BatchGetDeploymentInstancesOutput,
  BatchGetDeploymentTargetsInput,
  BatchGetDeploymentTargetsOutput,
  DeploymentTarget,
  GetDeploymentInstanceInput,
  GetDeploymentInstanceOutput,
  GetDeploymentTargetInput,
  GetDeploymentTargetOutput,
  InstanceSummary,
  InstanceTarget,
  ListDeploymentInstancesInput,
  ListDeploymentInstancesOutput,
  ListDeploymentTargetsInput,
  ListDeploymentTargetsOutput,
} from '@aws-sdk/client-codedeploy';
import { deploymentTargetOf } from '../engine/index.js';
import type { DeploymentRecord } from '../state/index.js';
import { codeDeployError, deploymentTargetListSizeExceeded } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { requireDeployment, requireStarted, snapshot } from './lookup.js';

const TARGET_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'Skipped', 'Unknown', 'Ready'];

/**
 * Target ids of on-premises instances are the instance names, in name order; a Lambda deployment's one
 * target is FUNCTION:ALIAS, an ECS deployment's CLUSTER:SERVICE.
 */
export function listDeploymentTargets(
  input: ListDeploymentTargetsInput,
  context: OperationContext,
): ListDeploymentTargetsOutput {
  const record = startedDeployment(context, input.deploymentId);
  const filters = input.targetFilters ?? {};
  // Filter names are the model's enum (TargetFilterName), checked before this handler runs.
  const statuses = filters.TargetStatus ?? [];
  const badStatus = statuses.find((status) => !TARGET_STATUSES.includes(status));
  if (badStatus !== undefined) {
    throw codeDeployError('InvalidInstanceStatusException', `Value: ${badStatus}.`);
  }
  const labels = filters.ServerInstanceLabel ?? [];
  const ids = targetsOf(record)
    .filter((target) => statuses.length === 0 || statuses.includes(target.status ?? ''))
    // In-place targets carry no Blue/Green label, so a label filter matches none of them.
    .filter((target) => labels.length === 0 || labels.includes(target.instanceLabel ?? ''))
    .map((target) => target.targetId ?? '');
  const { items, nextToken } = pageOf(ids, input.nextToken);
  return { targetIds: items, ...(nextToken ? { nextToken } : {}) };
}

export function batchGetDeploymentTargets(
  input: BatchGetDeploymentTargetsInput,
  context: OperationContext,
): BatchGetDeploymentTargetsOutput {
  const record = startedDeployment(context, input.deploymentId);
  const ids = input.targetIds ?? [];
  if (ids.length === 0) throw codeDeployError('DeploymentTargetIdRequiredException');
  // Lambda and ECS deployments have one target, and the service takes exactly one id for them; the
  // EC2/On-premises limit (25) is the model's, checked before this handler (wire/codedeploy-constraints).
  const single = record.info.computePlatform === 'Lambda' || record.info.computePlatform === 'ECS';
  if (single && ids.length > 1) throw deploymentTargetListSizeExceeded('single', 1);
  return { deploymentTargets: ids.map((id) => deploymentTarget(record, requireTarget(record, id))) };
}

export function getDeploymentTarget(
  input: GetDeploymentTargetInput,
  context: OperationContext,
): GetDeploymentTargetOutput {
  const record = startedDeployment(context, input.deploymentId);
  if (!input.targetId) throw codeDeployError('DeploymentTargetIdRequiredException');
  return { deploymentTarget: deploymentTarget(record, requireTarget(record, input.targetId)) };
}

/** Deprecated instance view: ids are instance names, as ListDeploymentTargets gives them. */
export function listDeploymentInstances(
  input: ListDeploymentInstancesInput,
  context: OperationContext,
): ListDeploymentInstancesOutput {
  const record = startedDeployment(context, input.deploymentId);
  requireInstanceDeployment(record);
  const statuses = input.instanceStatusFilter ?? [];
  const ids = targetsOf(record)
    .filter(
      (target) => statuses.length === 0 || statuses.includes(target.status as (typeof statuses)[number]),
    )
    .map((target) => target.targetId ?? '');
  const { items, nextToken } = pageOf(ids, input.nextToken);
  return { instancesList: items, ...(nextToken ? { nextToken } : {}) };
}

/** Unknown instances are reported in errorMessage rather than failing the whole batch. */
export function batchGetDeploymentInstances(
  input: BatchGetDeploymentInstancesInput,
  context: OperationContext,
): BatchGetDeploymentInstancesOutput {
  const record = requireDeployment(context, input.deploymentId);
  requireInstanceDeployment(record);
  const ids = input.instanceIds ?? [];
  if (ids.length === 0) throw codeDeployError('InstanceIdRequiredException');
  const found: InstanceSummary[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const target = findTarget(record, id);
    if (target) found.push(instanceSummary(target));
    else missing.push(id);
  }
  return {
    instancesSummary: found,
    ...(missing.length > 0
      ? { errorMessage: `Instances not found in the deployment: ${missing.join(', ')}` }
      : {}),
  };
}

export function getDeploymentInstance(
  input: GetDeploymentInstanceInput,
  context: OperationContext,
): GetDeploymentInstanceOutput {
  const record = requireDeployment(context, input.deploymentId);
  requireInstanceDeployment(record);
  if (!input.instanceId) throw codeDeployError('InstanceIdRequiredException');
  const target = findTarget(record, input.instanceId);
  if (!target) {
    throw codeDeployError(
      'InstanceDoesNotExistException',
      `The instance ${input.instanceId} is not part of the deployment.`,
    );
  }
  return { instanceSummary: instanceSummary(target) };
}

function startedDeployment(context: OperationContext, deploymentId: unknown): DeploymentRecord {
  const record = requireDeployment(context, deploymentId);
  requireStarted(record);
  return record;
}

function targetsOf(record: DeploymentRecord): InstanceTarget[] {
  return Object.values(record.targets).sort((a, b) => (a.targetId ?? '').localeCompare(b.targetId ?? ''));
}

function requireTarget(record: DeploymentRecord, targetId: string): InstanceTarget {
  const target = record.targets[targetId];
  if (!target) {
    throw codeDeployError(
      'DeploymentTargetDoesNotExistException',
      `The provided target ID does not belong to the deployment: ${targetId}`,
    );
  }
  return target;
}

/** The deprecated APIs take an instance name or its ARN. */
function findTarget(record: DeploymentRecord, id: string): InstanceTarget | undefined {
  return record.targets[id] ?? Object.values(record.targets).find((target) => target.targetArn === id);
}

/** An instance, Lambda or ECS target, as the deployment's compute platform has it. */
function deploymentTarget(record: DeploymentRecord, target: InstanceTarget): DeploymentTarget {
  return deploymentTargetOf(record.info, snapshot(target));
}

/** The deprecated instance APIs serve EC2/on-premises and Lambda deployments, not ECS (model doc). */
function requireInstanceDeployment(record: DeploymentRecord): void {
  if (record.info.computePlatform === 'ECS') {
    throw codeDeployError(
      'InvalidComputePlatformException',
      'The deployment instance APIs do not support Amazon ECS deployments; use ListDeploymentTargets and BatchGetDeploymentTargets.',
    );
  }
}

/** InstanceSummary names the instance by ARN, as the CLI example of GetDeploymentInstance shows. */
function instanceSummary(target: InstanceTarget): InstanceSummary {
  return snapshot({
    deploymentId: target.deploymentId,
    instanceId: target.targetArn ?? target.targetId,
    status: target.status as InstanceSummary['status'],
    lastUpdatedAt: target.lastUpdatedAt,
    lifecycleEvents: target.lifecycleEvents,
  });
}
