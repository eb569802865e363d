import type {
  ContainerDefinition,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse,
  RegisterTaskDefinitionRequest,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { EcsState } from '../state/compute-records.js';
import type { OperationTable } from '../wire/operation.js';
import { taskDefinitionArn } from './arns.js';
import type { EcsContext, EcsScope } from './context.js';
import { clientException } from './errors.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * Registers the next revision of a family, as RegisterTaskDefinition does: the input checked the way
 * ECS checks it, echoed with the defaults ECS fills in, status ACTIVE. Call inside `store.update`.
 */
export function registerTaskDefinition(
  state: EcsState,
  scope: EcsScope,
  input: RegisterTaskDefinitionRequest,
  now: Date,
): TaskDefinition {
  const family = input.family;
  if (typeof family !== 'string' || !FAMILY.test(family)) {
    throw clientException(
      'Family contains invalid characters or is too long: up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores are allowed.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw clientException('Container list cannot be empty.');
  }
  const names = new Set<string>();
  for (const container of containers) {
    if (typeof container?.name !== 'string' || container.name === '') {
      throw clientException('Container.name should not be null or empty.');
    }
    if (typeof container.image !== 'string' || container.image === '') {
      throw clientException('Container.image should not be null or empty.');
    }
    if (names.has(container.name)) throw clientException(`Duplicate container name: ${container.name}.`);
    names.add(container.name);
  }
  const fargate = input.requiresCompatibilities?.includes('FARGATE') ?? false;
  if (fargate && input.networkMode !== 'awsvpc') {
    throw clientException("Fargate only supports network mode 'awsvpc'.");
  }
  if (fargate && (input.cpu === undefined || input.memory === undefined)) {
    throw clientException("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
  }
  const revision = (state.lastRevision[family] ?? 0) + 1;
  const compatibleWithFargate =
    input.networkMode === 'awsvpc' && input.cpu !== undefined && input.memory !== undefined;
  const { tags: _tags, ...definition } = structuredClone(input);
  const registered: TaskDefinition = {
    ...definition,
    taskDefinitionArn: taskDefinitionArn(scope, family, revision),
    containerDefinitions: containers.map((container) => withDefaults(container, input.networkMode)),
    family,
    revision,
    volumes: definition.volumes ?? [],
    status: 'ACTIVE',
    placementConstraints: definition.placementConstraints ?? [],
    compatibilities: compatibleWithFargate ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: now,
    registeredBy: `arn:aws:iam::${scope.accountId}:root`,
  };
  state.lastRevision[family] = revision;
  state.taskDefinitions[`${family}:${revision}`] = registered;
  return registered;
}

/** The defaults ECS shows for what a container definition leaves out. */
function withDefaults(container: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  return {
    ...structuredClone(container),
    cpu: container.cpu ?? 0,
    essential: container.essential ?? true,
    portMappings: (container.portMappings ?? []).map((mapping) => ({
      ...mapping,
      ...(networkMode === 'awsvpc' && mapping.hostPort === undefined
        ? { hostPort: mapping.containerPort }
        : {}),
      protocol: mapping.protocol ?? 'tcp',
    })),
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
  };
}

/**
 * A task definition by full ARN, `family:revision`, or family alone (its latest ACTIVE revision), as
 * DescribeTaskDefinition, CreateService and CodeDeploy's AppSpec name them; undefined when unknown.
 */
export function findTaskDefinition(
  state: EcsState,
  scope: EcsScope,
  reference: string,
): TaskDefinition | undefined {
  const arnPrefix = `arn:aws:ecs:${scope.region}:${scope.accountId}:task-definition/`;
  const key = reference.startsWith('arn:')
    ? reference.startsWith(arnPrefix)
      ? reference.slice(arnPrefix.length)
      : ''
    : reference;
  if (key.includes(':')) return state.taskDefinitions[key];
  for (let revision = state.lastRevision[key] ?? 0; revision > 0; revision -= 1) {
    const found = state.taskDefinitions[`${key}:${revision}`];
    if (found?.status === 'ACTIVE') return found;
  }
  return undefined;
}

function register(input: RegisterTaskDefinitionRequest, context: EcsContext): RegisterTaskDefinitionResponse {
  const taskDefinition = context.store.update((state) =>
    registerTaskDefinition(state.ecs, context, input, context.now()),
  );
  return { taskDefinition, ...(input.tags ? { tags: input.tags } : {}) };
}

function describe(input: DescribeTaskDefinitionRequest, context: EcsContext): DescribeTaskDefinitionResponse {
  if (typeof input.taskDefinition !== 'string' || input.taskDefinition === '') {
    throw clientException('TaskDefinition cannot be null or empty.');
  }
  const taskDefinition = findTaskDefinition(context.store.state.ecs, context, input.taskDefinition);
  if (!taskDefinition) throw clientException('Unable to describe task definition.');
  return { taskDefinition, ...(input.include?.includes('TAGS') ? { tags: [] } : {}) };
}

export const taskDefinitionOperations: OperationTable<EcsContext> = {
  RegisterTaskDefinition: register,
  DescribeTaskDefinition: describe,
};
