import type {
  ContainerDefinition,
  LoadBalancer,
  RegisterTaskDefinitionRequest,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { MAX_READ_SIZE } from '../bundle/read/types.js';
import { InvalidInputError, jsonErrorPlace } from '../errors/index.js';
import type { ReadRegularFileOptions } from '../files/index.js';

/** How a task definition file is read: a regular file, no larger than an appspec may be. */
export const TASK_DEFINITION_FILE: ReadRegularFileOptions = {
  what: 'the task definition file',
  maxBytes: MAX_READ_SIZE,
  hint: 'Give the task definition JSON file.',
};

/** What DescribeTaskDefinition answers that RegisterTaskDefinition does not take (ECS assigns them). */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** A described task definition (with its tags) as the input that registers a new revision of it. */
export function registerInputFrom(
  taskDefinition: TaskDefinition,
  tags?: Tag[] | undefined,
): RegisterTaskDefinitionRequest {
  const input: Record<string, unknown> = { ...taskDefinition };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete input[field];
  if (tags !== undefined && tags.length > 0) input.tags = tags;
  return input as unknown as RegisterTaskDefinitionRequest;
}

/**
 * A task definition file as RegisterTaskDefinition input. Takes what people have at hand: the input
 * itself (`aws ecs register-task-definition --generate-cli-skeleton`, a file kept in the repository)
 * or the output of `aws ecs describe-task-definition` (`{ "taskDefinition": {...}, "tags": [...] }`),
 * whose read-only fields are dropped. Errors name the file and the field.
 */
export function parseTaskDefinitionFile(text: string, file: string): RegisterTaskDefinitionRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // Only where, never the parser's message: Node quotes the text around the error, and a task
    // definition's environment may hold a plain-text secret.
    throw new InvalidInputError(`${file} is not valid JSON${jsonErrorPlace(text, error)}`, {
      hint: 'Give the task definition as JSON: the output of aws ecs describe-task-definition, or RegisterTaskDefinition input (jq . FILE shows the error in context).',
    });
  }
  if (!isObject(parsed)) {
    throw new InvalidInputError(`${file} holds ${describe(parsed)}, not a task definition object`, {
      hint: 'The file must be one JSON object with "family" and "containerDefinitions".',
    });
  }
  const described = isObject(parsed.taskDefinition);
  const body = (described ? parsed.taskDefinition : parsed) as Record<string, unknown>;
  const at = (field: string) => (described ? `taskDefinition.${field}` : field);
  if (typeof body.family !== 'string' || body.family.trim() === '') {
    throw new InvalidInputError(
      `${file}: ${at('family')} is ${describe(body.family)}; it must name the task definition family`,
      {
        hint: 'Add "family": "<name>" (letters, digits, - and _).',
      },
    );
  }
  const containers = body.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new InvalidInputError(
      `${file}: ${at('containerDefinitions')} is ${describe(containers)}; it must list the containers`,
      { hint: 'Add "containerDefinitions": [{ "name": "web", "image": "...", "portMappings": [...] }].' },
    );
  }
  containers.forEach((container, index) => {
    const path = at(`containerDefinitions[${index}]`);
    if (!isObject(container)) {
      throw new InvalidInputError(`${file}: ${path} is ${describe(container)}, not a container definition`, {
        hint: 'Each container definition is an object with at least "name" and "image".',
      });
    }
    if (typeof container.name !== 'string' || container.name === '') {
      throw new InvalidInputError(
        `${file}: ${path}.name is ${describe(container.name)}; every container needs a name`,
        {
          hint: 'Give each container a "name": image overrides and the load balancer refer to it.',
        },
      );
    }
  });
  const tags = described && Array.isArray(parsed.tags) ? (parsed.tags as Tag[]) : undefined;
  return registerInputFrom(body as TaskDefinition, tags ?? (body.tags as Tag[] | undefined));
}

/**
 * The input with container images replaced (`{ web: 'registry/app:2' }`); the input is not changed.
 * A name no container has is an error listing the containers there are.
 */
export function applyImageOverrides(
  input: RegisterTaskDefinitionRequest,
  images: Record<string, string> | undefined,
  from: string,
): RegisterTaskDefinitionRequest {
  if (images === undefined || Object.keys(images).length === 0) return input;
  const containers = input.containerDefinitions ?? [];
  for (const [name, image] of Object.entries(images)) {
    if (!containers.some((container) => container.name === name)) {
      throw new InvalidInputError(
        `no container "${name}" in ${from} to give image ${image}; it has ${containerList(containers)}`,
        { hint: 'Name one of those containers in the image override (NAME=IMAGE).' },
      );
    }
    if (image.trim() === '') {
      throw new InvalidInputError(`the image override for container "${name}" is empty`, {
        hint: 'Write it as NAME=IMAGE, e.g. web=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2.',
      });
    }
  }
  return {
    ...input,
    containerDefinitions: containers.map((container) =>
      container.name !== undefined && images[container.name] !== undefined
        ? { ...container, image: images[container.name] }
        : container,
    ),
  };
}

/** The container and port the load balancer sends production traffic to. */
export interface TrafficContainer {
  containerName: string;
  containerPort: number;
}

/**
 * The new task definition lacks the container the service's load balancer sends traffic to: `deploy`
 * refuses it as invalid input (exit 2); `plan` reports it as what would stop the deployment.
 */
export class MissingTrafficContainerError extends InvalidInputError {
  constructor(
    readonly containerName: string,
    /** Where the task definition came from: a file, or the service's task definition. */
    readonly taskDefinition: string,
    containers: string,
  ) {
    super(
      `no container "${containerName}" in ${taskDefinition} (the service's load balancer sends traffic to it); it has ${containers}`,
      {
        hint: 'Name the container that receives traffic (the container option), as the task definition names it.',
      },
    );
  }
}

/**
 * Which container and port the AppSpec's LoadBalancerInfo names: the ones given; else the service's
 * load balancer entry; else the only container with a port mapping (and its only port). Whatever is
 * chosen must be a port mapping of the new task definition, or the task set would never receive
 * traffic. Ambiguity is an error asking for the option, never a guess.
 */
export function chooseTrafficContainer(
  input: RegisterTaskDefinitionRequest,
  given: { containerName?: string | undefined; containerPort?: number | undefined },
  serviceLoadBalancer: LoadBalancer | undefined,
  from: string,
): TrafficContainer {
  const containers = input.containerDefinitions ?? [];
  const fromService =
    given.containerName === undefined || given.containerName === serviceLoadBalancer?.containerName
      ? serviceLoadBalancer
      : undefined;
  const name = given.containerName ?? fromService?.containerName;
  if (name !== undefined) {
    const container = containers.find((c) => c.name === name);
    if (container === undefined && fromService !== undefined) {
      throw new MissingTrafficContainerError(name, from, containerList(containers));
    }
    if (container === undefined) {
      throw new InvalidInputError(`no container "${name}" in ${from}; it has ${containerList(containers)}`, {
        hint: 'Name the container that receives traffic (the container option), as the task definition names it.',
      });
    }
    return {
      containerName: name,
      containerPort: portOf(container, given.containerPort ?? fromService?.containerPort, from),
    };
  }
  const mapped = containers.filter(
    (c) =>
      portsOf(c).length > 0 &&
      (given.containerPort === undefined || portsOf(c).includes(given.containerPort)),
  );
  if (mapped.length !== 1) {
    throw new InvalidInputError(
      mapped.length === 0
        ? `no container in ${from} maps ${given.containerPort === undefined ? 'a port' : `port ${given.containerPort}`} for the load balancer; it has ${containerList(containers)}`
        : `which container receives traffic is ambiguous: ${mapped.map((c) => c.name).join(', ')} in ${from} all map ${given.containerPort === undefined ? 'ports' : `port ${given.containerPort}`}`,
      {
        hint: 'Name the container (and port) the load balancer sends traffic to with the container and port options.',
      },
    );
  }
  const container = mapped[0] as ContainerDefinition;
  return { containerName: container.name ?? '', containerPort: portOf(container, given.containerPort, from) };
}

function portOf(container: ContainerDefinition, wanted: number | undefined, from: string): number {
  const ports = portsOf(container);
  if (wanted !== undefined) {
    if (ports.includes(wanted)) return wanted;
    throw new InvalidInputError(
      `container "${container.name}" in ${from} maps ${ports.length === 0 ? 'no port' : `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}`}, not ${wanted}`,
      { hint: 'Add the port mapping to the container, or name the port it maps (the port option).' },
    );
  }
  if (ports.length === 1) return ports[0] as number;
  throw new InvalidInputError(
    ports.length === 0
      ? `container "${container.name}" in ${from} maps no port for the load balancer`
      : `container "${container.name}" in ${from} maps ports ${ports.join(', ')}: which one takes traffic is ambiguous`,
    {
      hint: 'Name the port the load balancer sends traffic to (the port option), as mapped in the container.',
    },
  );
}

function portsOf(container: ContainerDefinition): number[] {
  return (container.portMappings ?? [])
    .map((mapping) => mapping.containerPort)
    .filter((port): port is number => typeof port === 'number');
}

/** `containers web (ports 80), worker (no ports)`. */
function containerList(containers: readonly ContainerDefinition[]): string {
  if (containers.length === 0) return 'no containers';
  return `container${containers.length === 1 ? '' : 's'} ${containers
    .map((c) => {
      const ports = portsOf(c);
      return `${c.name ?? '?'} (${ports.length === 0 ? 'no ports' : `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}`})`;
    })
    .join(', ')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
