import type { EcsRuntime, ServiceView } from '../compute/runtime.js';
import type { EcsServiceRecord, EcsTaskSetRecord } from '../state/compute-records.js';
import type { Store } from '../state/index.js';
import { clusterNameOf, serviceNameOf } from './arns.js';
import type { EcsScope } from './context.js';
import { clientException, invalidParameter, taskSetNotFound } from './errors.js';
import { serviceRecord } from './services.js';
import { findTaskDefinition } from './task-definitions.js';
import { newTaskSet, refreshCounts, taskSetView } from './task-sets.js';

/**
 * The deployment engine's view of the local ECS (see ComputeRuntime): CodeDeploy's task set calls
 * (CreateTaskSet, UpdateTaskSet, UpdateServicePrimaryTaskSet, DeleteTaskSet) and the listener
 * weights it sets, over the same records DescribeServices answers from.
 */
export function createEcsRuntime(store: Store, scope: EcsScope, now: () => Date): EcsRuntime {
  /** Runs a change on a service (throwing ECS's exceptions when it is not there) and refreshes its counts. */
  const change = <T>(cluster: string, service: string, apply: (record: EcsServiceRecord) => T): T =>
    store.update((state) => {
      const record = serviceRecord(state.ecs, cluster, service);
      const result = apply(record);
      refreshCounts(record);
      return result;
    });
  const taskSetOf = (record: EcsServiceRecord, id: string): EcsTaskSetRecord => {
    const found = record.taskSets?.find((taskSet) => taskSet.id === id || taskSet.taskSetArn === id);
    if (!found) throw taskSetNotFound(id);
    return found;
  };
  return {
    service: (cluster, service): ServiceView | undefined => {
      const record =
        store.state.ecs.clusters[clusterNameOf(cluster)]?.services[serviceNameOf(service).service];
      if (record?.status !== 'ACTIVE') return undefined;
      const taskSets = record.taskSets ?? [];
      return {
        clusterName: clusterNameOf(cluster),
        serviceName: record.serviceName ?? '',
        taskDefinition:
          taskSets.find((taskSet) => taskSet.status === 'PRIMARY')?.taskDefinition ??
          record.taskDefinition ??
          '',
        desiredCount: record.desiredCount ?? 0,
        taskSets: taskSets.map(taskSetView),
        trafficWeights: Object.fromEntries(
          taskSets.map((taskSet) => [taskSet.id ?? '', taskSet.trafficWeight ?? 0]),
        ),
      };
    },
    taskDefinitionArn: (taskDefinition) =>
      findTaskDefinition(store.state.ecs, scope, taskDefinition)?.taskDefinitionArn,
    createTaskSet: (cluster, service, input) =>
      change(cluster, service, (record) => {
        if (record.deploymentController?.type !== 'CODE_DEPLOY') {
          throw invalidParameter(
            `Service ${record.serviceName} does not use the CODE_DEPLOY deployment controller: task sets are CodeDeploy's only there.`,
          );
        }
        const definition = findTaskDefinition(store.state.ecs, scope, input.taskDefinition);
        const taskDefinition = definition?.taskDefinitionArn;
        if (!definition || !taskDefinition) throw clientException('TaskDefinition not found.');
        // ECS checks the load balancer's container against the task definition (an AppSpec's
        // LoadBalancerInfo naming another container fails the deployment here, as on AWS).
        for (const balancer of input.loadBalancers ?? []) {
          if (!balancer.containerName) continue;
          const container = definition.containerDefinitions?.find((c) => c.name === balancer.containerName);
          if (!container) {
            throw invalidParameter(
              `The container ${balancer.containerName} does not exist in the task definition.`,
            );
          }
          const ports = (container.portMappings ?? []).map((mapping) => mapping.containerPort);
          if (balancer.containerPort !== undefined && !ports.includes(balancer.containerPort)) {
            throw invalidParameter(
              `The container ${balancer.containerName} does not have a container port ${balancer.containerPort} defined.`,
            );
          }
        }
        const taskSet = newTaskSet(
          scope,
          clusterNameOf(cluster),
          record,
          {
            taskDefinition,
            status: 'ACTIVE',
            scale: 0,
            trafficWeight: 0,
            externalId: input.externalId,
            startedBy: 'CodeDeploy',
            ...(input.launchType ? { launchType: input.launchType as EcsTaskSetRecord['launchType'] } : {}),
            ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
            ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
            ...(input.capacityProviderStrategy
              ? { capacityProviderStrategy: input.capacityProviderStrategy }
              : {}),
            loadBalancers: input.loadBalancers ?? record.loadBalancers ?? [],
          },
          now(),
        );
        record.taskSets = [...(record.taskSets ?? []), taskSet];
        return taskSet;
      }),
    scaleTaskSet: (cluster, service, taskSetId, scale) =>
      change(cluster, service, (record) => {
        const taskSet = taskSetOf(record, taskSetId);
        taskSet.scale = { value: checkedPercent(scale, 'scale'), unit: 'PERCENT' };
        taskSet.updatedAt = now();
      }),
    setTaskSetTraffic: (cluster, service, taskSetId, trafficWeight) =>
      change(cluster, service, (record) => {
        const taskSet = taskSetOf(record, taskSetId);
        const weight = checkedPercent(trafficWeight, 'trafficWeight');
        taskSet.trafficWeight = weight;
        // A task set is scaled up to carry its share, never down by a shift: the original keeps its
        // tasks until CodeDeploy deletes it, so a rollback can send traffic straight back.
        taskSet.scale = { value: Math.max(taskSet.scale?.value ?? 0, weight), unit: 'PERCENT' };
        taskSet.updatedAt = now();
      }),
    makePrimary: (cluster, service, taskSetId) =>
      change(cluster, service, (record) => {
        const primary = taskSetOf(record, taskSetId);
        for (const taskSet of record.taskSets ?? []) {
          if (taskSet.status === 'PRIMARY' && taskSet !== primary) taskSet.status = 'ACTIVE';
        }
        primary.status = 'PRIMARY';
        primary.updatedAt = now();
        record.taskDefinition = primary.taskDefinition;
      }),
    deleteTaskSet: (cluster, service, taskSetId) =>
      change(cluster, service, (record) => {
        const taskSet = taskSetOf(record, taskSetId);
        if (taskSet.status === 'PRIMARY') {
          throw invalidParameter(
            `The task set ${taskSet.id} is the service's primary task set and cannot be deleted.`,
          );
        }
        record.taskSets = (record.taskSets ?? []).filter((candidate) => candidate !== taskSet);
      }),
  };
}

function checkedPercent(value: number, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
    throw invalidParameter(`${name} must be a percentage between 0 and 100, got ${String(value)}.`);
  }
  return value;
}
