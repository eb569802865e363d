import type { Service, TaskSet } from '@aws-sdk/client-ecs';
import type { EcsServiceRecord, EcsTaskSetRecord } from '../state/compute-records.js';
import { newTaskSetId, taskSetArn } from './arns.js';
import type { EcsScope } from './context.js';

/** What a new task set is made of (CreateTaskSet's input, resolved). */
export interface TaskSetInput {
  taskDefinition: string;
  status: 'PRIMARY' | 'ACTIVE';
  /** Percent of the service's desired count. */
  scale: number;
  trafficWeight: number;
  externalId?: string;
  startedBy?: string;
  launchType?: TaskSet['launchType'];
  platformVersion?: string;
  networkConfiguration?: TaskSet['networkConfiguration'];
  capacityProviderStrategy?: TaskSet['capacityProviderStrategy'];
  loadBalancers?: TaskSet['loadBalancers'];
}

/** A task set of a service; its counts are filled in by {@link refreshCounts}. */
export function newTaskSet(
  scope: EcsScope,
  clusterName: string,
  service: EcsServiceRecord,
  input: TaskSetInput,
  now: Date,
): EcsTaskSetRecord {
  const id = newTaskSetId();
  return {
    id,
    taskSetArn: taskSetArn(scope, clusterName, service.serviceName ?? '', id),
    serviceArn: service.serviceArn,
    clusterArn: service.clusterArn,
    ...(input.startedBy ? { startedBy: input.startedBy } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    status: input.status,
    taskDefinition: input.taskDefinition,
    computedDesiredCount: 0,
    pendingCount: 0,
    runningCount: 0,
    createdAt: now,
    updatedAt: now,
    ...(input.launchType ? { launchType: input.launchType } : {}),
    ...(input.capacityProviderStrategy ? { capacityProviderStrategy: input.capacityProviderStrategy } : {}),
    ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
    ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
    loadBalancers: input.loadBalancers ?? [],
    serviceRegistries: [],
    scale: { value: input.scale, unit: 'PERCENT' },
    stabilityStatus: 'STEADY_STATE',
    stabilityStatusAt: now,
    trafficWeight: input.trafficWeight,
  };
}

/**
 * Task counts follow scale at once (the local ECS starts tasks instantly): a task set runs
 * ceil(desiredCount × scale) tasks, the service the sum of its task sets.
 */
export function refreshCounts(service: EcsServiceRecord): void {
  const desired = service.desiredCount ?? 0;
  if (service.deploymentController?.type !== 'CODE_DEPLOY') {
    service.runningCount = desired;
    service.pendingCount = 0;
    return;
  }
  let running = 0;
  for (const taskSet of service.taskSets ?? []) {
    const count = Math.ceil((desired * (taskSet.scale?.value ?? 0)) / 100);
    taskSet.computedDesiredCount = count;
    taskSet.runningCount = count;
    taskSet.pendingCount = 0;
    running += count;
  }
  service.runningCount = running;
  service.pendingCount = 0;
}

/** A task set as ECS shows it (without the local traffic weight). */
export function taskSetView(record: EcsTaskSetRecord): TaskSet {
  const { trafficWeight: _weight, ...taskSet } = record;
  return structuredClone(taskSet);
}

/** A service as DescribeServices shows it. */
export function serviceView(record: EcsServiceRecord): Service {
  const { taskSets, ...service } = record;
  return {
    ...structuredClone(service),
    ...(taskSets ? { taskSets: taskSets.map(taskSetView) } : {}),
  };
}
