import type {
  LaunchType,
  LoadBalancer,
  NetworkConfiguration,
  RegisterTaskDefinitionRequest,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { READ_ONLY_TASK_DEFINITION_FIELDS } from '@codedeploy-gate/core';
import type { EcsState } from '../state/compute-records.js';
import { targetGroupArn } from './arns.js';
import { ensureCluster } from './clusters.js';
import type { EcsScope } from './context.js';
import { createService } from './services.js';
import { findTaskDefinition, registerTaskDefinition } from './task-definitions.js';

/**
 * A task definition to register: RegisterTaskDefinition's input, or what DescribeTaskDefinition
 * answered (`{taskDefinition: {...}}` or the task definition itself; its read-only members are dropped).
 */
export type TaskDefinitionSeed =
  | RegisterTaskDefinitionRequest
  | TaskDefinition
  | { taskDefinition: TaskDefinition };

/** A service to put in a cluster (CreateService without the API). */
export interface EcsServiceSeed {
  name: string;
  /** A task definition to register for it, or the family, `family:revision` or ARN of a registered one. */
  taskDefinition: string | TaskDefinitionSeed;
  /** Default 1. */
  desiredCount?: number;
  /** Default CODE_DEPLOY (what CodeDeploy deployments need). */
  deploymentController?: 'CODE_DEPLOY' | 'ECS';
  /** The service's load balancer entries, as CreateService takes them. */
  loadBalancers?: LoadBalancer[];
  /**
   * Names of the blue/green target group pair a CodeDeploy deployment group will name. Without
   * `loadBalancers`, the first one becomes the service's load balancer, on the only container with a
   * port mapping (its first port).
   */
  targetGroups?: string[];
  launchType?: LaunchType;
  platformVersion?: string;
  /** Default for an `awsvpc` task definition: a placeholder subnet, so a seed need not invent one. */
  networkConfiguration?: NetworkConfiguration;
}

export interface EcsClusterSeed {
  name: string;
  services?: EcsServiceSeed[];
}

/** What seeding a service made. */
export interface SeededService {
  clusterArn: string;
  serviceArn: string;
  taskDefinitionArn: string;
  /** The initial PRIMARY task set of a CODE_DEPLOY service. */
  taskSetId?: string;
  /** ARNs of the seed's `targetGroups`, in order. */
  targetGroupArns: string[];
}

/** RegisterTaskDefinition's input from any form a seed may give a task definition in. */
export function registrationInput(seed: TaskDefinitionSeed): RegisterTaskDefinitionRequest {
  const definition =
    'taskDefinition' in seed && typeof seed.taskDefinition === 'object' ? seed.taskDefinition : seed;
  const input = structuredClone(definition) as Record<string, unknown>;
  for (const member of READ_ONLY_TASK_DEFINITION_FIELDS) delete input[member];
  return input as unknown as RegisterTaskDefinitionRequest;
}

/** Registers a seed's task definition. Call inside `store.update`. */
export function registerSeededTaskDefinition(
  state: EcsState,
  scope: EcsScope,
  seed: TaskDefinitionSeed,
  now: Date,
): TaskDefinition {
  return registerTaskDefinition(state, scope, registrationInput(seed), now);
}

/**
 * Creates the cluster when needed and puts the service in it, replacing one of the same name (a
 * fresh initial task set). Call inside `store.update`; errors are the ones CreateService gives.
 */
export function putService(
  state: EcsState,
  scope: EcsScope,
  cluster: string,
  seed: EcsServiceSeed,
  now: Date,
): SeededService {
  ensureCluster(state, scope, cluster);
  const taskDefinition =
    typeof seed.taskDefinition === 'string'
      ? (findTaskDefinition(state, scope, seed.taskDefinition)?.taskDefinitionArn ?? seed.taskDefinition)
      : (registerSeededTaskDefinition(state, scope, seed.taskDefinition, now).taskDefinitionArn ?? '');
  const registered = findTaskDefinition(state, scope, taskDefinition);
  const targetGroupArns = (seed.targetGroups ?? []).map((name) => targetGroupArn(scope, name));
  const loadBalancers = seed.loadBalancers ?? defaultLoadBalancers(targetGroupArns[0], registered);
  const service = createService(
    state,
    scope,
    {
      cluster,
      serviceName: seed.name,
      taskDefinition,
      desiredCount: seed.desiredCount ?? 1,
      deploymentController: { type: seed.deploymentController ?? 'CODE_DEPLOY' },
      loadBalancers,
      ...(seed.launchType ? { launchType: seed.launchType } : {}),
      ...(seed.platformVersion ? { platformVersion: seed.platformVersion } : {}),
      ...networkOf(seed, registered),
    },
    now,
    true,
  );
  return {
    clusterArn: service.clusterArn ?? '',
    serviceArn: service.serviceArn ?? '',
    taskDefinitionArn: service.taskDefinition ?? '',
    ...(service.taskSets?.[0]?.id ? { taskSetId: service.taskSets[0].id } : {}),
    targetGroupArns,
  };
}

function defaultLoadBalancers(
  targetGroup: string | undefined,
  taskDefinition: TaskDefinition | undefined,
): LoadBalancer[] {
  if (!targetGroup) return [];
  const container = taskDefinition?.containerDefinitions?.find((c) => (c.portMappings ?? []).length > 0);
  const port = container?.portMappings?.[0]?.containerPort;
  if (!container?.name || port === undefined) return [{ targetGroupArn: targetGroup }];
  return [{ targetGroupArn: targetGroup, containerName: container.name, containerPort: port }];
}

function networkOf(
  seed: EcsServiceSeed,
  taskDefinition: TaskDefinition | undefined,
): { networkConfiguration?: NetworkConfiguration } {
  if (seed.networkConfiguration) return { networkConfiguration: seed.networkConfiguration };
  if (taskDefinition?.networkMode !== 'awsvpc') return {};
  return {
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'], assignPublicIp: 'DISABLED' } },
  };
}
