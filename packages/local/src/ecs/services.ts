import type {
  CreateServiceRequest,
  CreateServiceResponse,
  DescribeServicesRequest,
  DescribeServicesResponse,
  ListServicesRequest,
  ListServicesResponse,
  LoadBalancer,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { EcsServiceRecord, EcsState } from '../state/compute-records.js';
import type { OperationTable } from '../wire/operation.js';
import { newTaskSetId, serviceArn, serviceNameOf } from './arns.js';
import { clusterRecord, DEFAULT_CLUSTER } from './clusters.js';
import type { EcsContext, EcsScope } from './context.js';
import { invalidParameter, serviceNotFound } from './errors.js';
import { listPage } from './paging.js';
import { findTaskDefinition } from './task-definitions.js';
import { newTaskSet, refreshCounts, serviceView } from './task-sets.js';

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * Creates a service as CreateService does. With the CODE_DEPLOY deployment controller the service
 * starts with one PRIMARY task set at 100 % carrying all traffic (CodeDeploy then adds and removes
 * task sets); with the ECS controller it has one PRIMARY deployment instead. Call inside
 * `store.update`; `replace` lets a seed put a service over an existing one.
 */
export function createService(
  state: EcsState,
  scope: EcsScope,
  input: CreateServiceRequest,
  now: Date,
  replace = false,
): EcsServiceRecord {
  const cluster = clusterRecord(state, input.cluster);
  const name = input.serviceName;
  if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
    throw invalidParameter(
      'Service name is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.',
    );
  }
  if (!replace && cluster.services[name]?.status === 'ACTIVE') {
    throw invalidParameter('Creation of service was not idempotent.');
  }
  const controller = input.deploymentController?.type ?? 'ECS';
  if (controller === 'EXTERNAL') {
    throw invalidParameter(
      'The local ECS runs services with the ECS or CODE_DEPLOY deployment controller only.',
    );
  }
  if (typeof input.taskDefinition !== 'string' || input.taskDefinition === '') {
    throw invalidParameter('TaskDefinition must be specified.');
  }
  const taskDefinition = findTaskDefinition(state, scope, input.taskDefinition);
  if (!taskDefinition?.taskDefinitionArn) throw invalidParameter('TaskDefinition not found.');
  const desiredCount = input.desiredCount ?? 0;
  if (!Number.isInteger(desiredCount) || desiredCount < 0) {
    throw invalidParameter('desiredCount must be a whole number of tasks, 0 or more.');
  }
  const loadBalancers = input.loadBalancers ?? [];
  for (const loadBalancer of loadBalancers) checkLoadBalancer(loadBalancer, taskDefinition);
  if (taskDefinition.networkMode === 'awsvpc' && !input.networkConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const launchType =
    input.capacityProviderStrategy && input.capacityProviderStrategy.length > 0
      ? undefined
      : (input.launchType ??
        (taskDefinition.requiresCompatibilities?.includes('FARGATE') ? 'FARGATE' : 'EC2'));
  const platformVersion = input.platformVersion ?? (launchType === 'FARGATE' ? 'LATEST' : undefined);
  const service: EcsServiceRecord = {
    serviceArn: serviceArn(scope, cluster.clusterName, name),
    serviceName: name,
    clusterArn: cluster.clusterArn,
    loadBalancers,
    serviceRegistries: input.serviceRegistries ?? [],
    status: 'ACTIVE',
    desiredCount,
    runningCount: 0,
    pendingCount: 0,
    ...(launchType ? { launchType } : {}),
    ...(input.capacityProviderStrategy ? { capacityProviderStrategy: input.capacityProviderStrategy } : {}),
    ...(platformVersion ? { platformVersion } : {}),
    taskDefinition: taskDefinition.taskDefinitionArn,
    deploymentConfiguration: input.deploymentConfiguration ?? {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [],
    ...(input.role ? { roleArn: input.role } : {}),
    events: [],
    createdAt: now,
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy: input.placementStrategy ?? [],
    ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
    deploymentController: { type: controller },
    createdBy: `arn:aws:iam::${scope.accountId}:root`,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    propagateTags: input.propagateTags ?? 'NONE',
    enableExecuteCommand: input.enableExecuteCommand ?? false,
  };
  if (controller === 'CODE_DEPLOY') {
    service.taskSets = [
      newTaskSet(
        scope,
        cluster.clusterName,
        service,
        {
          taskDefinition: taskDefinition.taskDefinitionArn,
          status: 'PRIMARY',
          scale: 100,
          trafficWeight: 100,
          ...(launchType ? { launchType } : {}),
          ...(input.capacityProviderStrategy
            ? { capacityProviderStrategy: input.capacityProviderStrategy }
            : {}),
          ...(platformVersion ? { platformVersion } : {}),
          ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
          loadBalancers,
        },
        now,
      ),
    ];
  } else {
    const id = newTaskSetId();
    service.deployments = [
      {
        id,
        status: 'PRIMARY',
        taskDefinition: taskDefinition.taskDefinitionArn,
        desiredCount,
        pendingCount: 0,
        runningCount: desiredCount,
        failedTasks: 0,
        createdAt: now,
        updatedAt: now,
        ...(launchType ? { launchType } : {}),
        ...(platformVersion ? { platformVersion } : {}),
        ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${id} completed.`,
      },
    ];
  }
  refreshCounts(service);
  cluster.services[name] = service;
  return service;
}

/** A load balancer entry must name a container of the task definition and one of its container ports. */
function checkLoadBalancer(loadBalancer: LoadBalancer, taskDefinition: TaskDefinition): void {
  const name = loadBalancer.containerName;
  const container = taskDefinition.containerDefinitions?.find((c) => c.name === name);
  if (!container)
    throw invalidParameter(`The container ${String(name)} does not exist in the task definition.`);
  const port = loadBalancer.containerPort;
  if (!container.portMappings?.some((mapping) => mapping.containerPort === port)) {
    throw invalidParameter(`The container ${name} did not have a container port ${String(port)} defined.`);
  }
}

/** The service a request names (name or ARN) in a cluster; ServiceNotFoundException when unknown. */
export function serviceRecord(
  state: EcsState,
  cluster: string | undefined,
  service: string,
): EcsServiceRecord {
  const record = clusterRecord(state, cluster).services[serviceNameOf(service).service];
  if (record?.status !== 'ACTIVE') throw serviceNotFound();
  return record;
}

function create(input: CreateServiceRequest, context: EcsContext): CreateServiceResponse {
  const service = context.store.update((state) => createService(state.ecs, context, input, context.now()));
  return { service: serviceView(service) };
}

/** DescribeServices: each service found, and a MISSING failure for each that is not, as ECS answers. */
function describeServices(input: DescribeServicesRequest, context: EcsContext): DescribeServicesResponse {
  const cluster = clusterRecord(context.store.state.ecs, input.cluster);
  const names = input.services ?? [];
  if (names.length === 0) throw invalidParameter('Services cannot be empty.');
  if (names.length > 10) throw invalidParameter('Services cannot have more than 10 elements.');
  const response: Required<Pick<DescribeServicesResponse, 'services' | 'failures'>> = {
    services: [],
    failures: [],
  };
  for (const name of names) {
    const record = cluster.services[serviceNameOf(name).service];
    if (record) response.services.push(serviceView(record));
    else {
      response.failures.push({
        arn: name.startsWith('arn:')
          ? name
          : serviceArn(context, cluster.clusterName ?? DEFAULT_CLUSTER, name),
        reason: 'MISSING',
      });
    }
  }
  return response;
}

/**
 * ListServices: the ACTIVE services of a cluster (default `default`) as ARNs in name order, filtered by
 * launch type and scheduling strategy; 10 a page unless maxResults (1–100) says otherwise, as ECS pages.
 */
function listServices(input: ListServicesRequest, context: EcsContext): ListServicesResponse {
  const cluster = clusterRecord(context.store.state.ecs, input.cluster);
  const arns = Object.values(cluster.services)
    .filter((service) => service.status === 'ACTIVE')
    .filter((service) => !input.launchType || service.launchType === input.launchType)
    .filter((service) => !input.schedulingStrategy || service.schedulingStrategy === input.schedulingStrategy)
    .map((service) => service.serviceArn ?? '')
    .sort();
  const { items, nextToken } = listPage(arns, input, 10);
  return { serviceArns: items, ...(nextToken ? { nextToken } : {}) };
}

export const serviceOperations: OperationTable<EcsContext> = {
  CreateService: create,
  DescribeServices: describeServices,
  ListServices: listServices,
};
