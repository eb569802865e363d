import type { YamlMap, YamlNode } from './located-yaml.js';
import {
  asScalar,
  asString,
  checkKnownKeys,
  childPath,
  describe,
  expectMap,
  findEntry,
  isNull,
  requireEntry,
} from './nodes.js';
import type { ProblemSink } from './problems.js';
import { checkServiceAppspec } from './resources.js';

const ECS_PROPERTIES = [
  'TaskDefinition',
  'LoadBalancerInfo',
  'PlatformVersion',
  'NetworkConfiguration',
  'CapacityProviderStrategy',
];
const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(:(\d+))?$/;
const MAX_SUBNETS = 16;
const MAX_SECURITY_GROUPS = 5;
const MAX_CAPACITY_PROVIDERS = 6;

/** Checks an ECS AppSpec: one AWS::ECS::Service resource with its task definition and load balancer target. */
export function checkEcsAppspec(sink: ProblemSink, root: YamlMap): void {
  const resource = checkServiceAppspec(sink, root, 'ecs');
  if (resource === undefined) return;
  const { properties, path } = resource;
  checkKnownKeys(sink, properties, ECS_PROPERTIES, path, { caseInsensitive: true, ignoredBy: 'CodeDeploy' });
  checkTaskDefinition(sink, properties, path);
  checkLoadBalancerInfo(sink, properties, path);
  const platformVersion = findEntry(properties, 'PlatformVersion', true);
  if (platformVersion !== undefined) {
    const value = asString(platformVersion.value);
    if (value === undefined || !/^(LATEST|\d+\.\d+\.\d+)$/.test(value)) {
      sink.error(
        platformVersion.value,
        childPath(path, platformVersion.name),
        'ecs-platform-version-invalid',
        `PlatformVersion is ${value === undefined ? describe(platformVersion.value) : JSON.stringify(value)}; it must be LATEST or a Fargate version like 1.4.0.`,
        'Write PlatformVersion: "LATEST" or e.g. PlatformVersion: "1.4.0" (quoted, so YAML does not read 1.4 as a number).',
      );
    }
  }
  const network = findEntry(properties, 'NetworkConfiguration', true);
  if (network !== undefined) checkNetwork(sink, network.value, childPath(path, network.name));
  const strategy = findEntry(properties, 'CapacityProviderStrategy', true);
  if (strategy !== undefined) checkCapacityProviders(sink, strategy.value, childPath(path, strategy.name));
}

function checkTaskDefinition(sink: ProblemSink, properties: YamlMap, path: string): void {
  const hint =
    'Set TaskDefinition to the task definition ARN: arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>.';
  const entry = requireEntry(sink, properties, 'TaskDefinition', path, hint, true);
  if (entry === undefined) return;
  const value = asString(entry.value)?.trim();
  const fieldPath = childPath(path, entry.name);
  if (value !== undefined && /^<[^<>]+>$/.test(value)) {
    sink.warn(
      entry.value,
      fieldPath,
      'ecs-task-definition-placeholder',
      `TaskDefinition is the placeholder ${value}.`,
      'CodePipeline (CodeDeployToECS action) replaces it with the registered task definition ARN; outside CodePipeline, write the ARN.',
    );
    return;
  }
  const match = value === undefined ? null : TASK_DEFINITION_ARN.exec(value);
  if (match === null) {
    sink.error(
      entry.value,
      fieldPath,
      'ecs-task-definition-invalid',
      `TaskDefinition ${value === undefined ? `is ${describe(entry.value)}` : JSON.stringify(value)} is not a task definition ARN.`,
      hint,
    );
  } else if (match[1] === undefined) {
    sink.warn(
      entry.value,
      fieldPath,
      'ecs-task-definition-no-revision',
      `TaskDefinition ${JSON.stringify(value)} has no revision.`,
      'Append ":<revision>" so the deployment is pinned to one task definition revision.',
    );
  }
}

function checkLoadBalancerInfo(sink: ProblemSink, properties: YamlMap, path: string): void {
  const hint =
    'Add LoadBalancerInfo with ContainerName (the container that receives traffic) and ContainerPort.';
  const entry = requireEntry(sink, properties, 'LoadBalancerInfo', path, hint, true);
  if (entry === undefined) return;
  const infoPath = childPath(path, entry.name);
  const info = expectMap(sink, entry.value, infoPath, hint);
  if (info === undefined) return;
  checkKnownKeys(sink, info, ['ContainerName', 'ContainerPort'], infoPath, {
    caseInsensitive: true,
    ignoredBy: 'CodeDeploy',
  });
  const name = requireEntry(
    sink,
    info,
    'ContainerName',
    infoPath,
    'Add "ContainerName: <name>" as named in the task definition.',
    true,
  );
  if (name !== undefined && asScalar(name.value) === undefined) {
    sink.error(
      name.value,
      childPath(infoPath, name.name),
      'ecs-container-name-invalid',
      `ContainerName is ${describe(name.value)}, not a container name.`,
      'Write the container name from the task definition as a string.',
    );
  }
  const port = requireEntry(
    sink,
    info,
    'ContainerPort',
    infoPath,
    'Add "ContainerPort: <port>" (the container port the load balancer sends traffic to).',
    true,
  );
  if (port === undefined) return;
  const portPath = childPath(infoPath, port.name);
  const scalar = asScalar(port.value);
  const number =
    scalar?.value.type === 'int'
      ? scalar.value.value
      : scalar?.value.type === 'str' && /^\d+$/.test(scalar.text)
        ? Number(scalar.text)
        : undefined;
  if (number === undefined || number < 1 || number > 65535) {
    sink.error(
      port.value,
      portPath,
      'ecs-container-port-invalid',
      `ContainerPort is ${scalar === undefined ? describe(port.value) : JSON.stringify(scalar.text)}; it must be a port number from 1 to 65535.`,
      'Write the container port as a number, e.g. ContainerPort: 80.',
    );
  } else if (scalar?.value.type === 'str') {
    sink.warn(
      port.value,
      portPath,
      'ecs-container-port-quoted',
      `ContainerPort is the string ${JSON.stringify(scalar.text)}; the AWS docs specify a number.`,
      `Remove the quotes: ContainerPort: ${number}.`,
    );
  }
}

function checkNetwork(sink: ProblemSink, node: YamlNode, path: string): void {
  const hint =
    'Write NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [...], SecurityGroups: [...], AssignPublicIp: ENABLED|DISABLED } }.';
  const network = expectMap(sink, node, path, hint);
  if (network === undefined) return;
  checkKnownKeys(sink, network, ['AwsvpcConfiguration'], path, {
    caseInsensitive: true,
    ignoredBy: 'CodeDeploy',
  });
  const entry = requireEntry(sink, network, 'AwsvpcConfiguration', path, hint, true);
  if (entry === undefined) return;
  const awsvpcPath = childPath(path, entry.name);
  const awsvpc = expectMap(sink, entry.value, awsvpcPath, hint);
  if (awsvpc === undefined) return;
  checkKnownKeys(sink, awsvpc, ['Subnets', 'SecurityGroups', 'AssignPublicIp'], awsvpcPath, {
    caseInsensitive: true,
    ignoredBy: 'CodeDeploy',
  });
  // AWS docs: all or none of the AwsvpcConfiguration settings must be given.
  const allOrNone =
    'Give all three of Subnets, SecurityGroups and AssignPublicIp (AWS requires all or none), or remove NetworkConfiguration to keep the service settings.';
  const subnets = requireEntry(sink, awsvpc, 'Subnets', awsvpcPath, allOrNone, true);
  if (subnets !== undefined)
    checkStringList(sink, subnets.value, childPath(awsvpcPath, subnets.name), 1, MAX_SUBNETS, 'subnet IDs');
  const groups = requireEntry(sink, awsvpc, 'SecurityGroups', awsvpcPath, allOrNone, true);
  if (groups !== undefined)
    checkStringList(
      sink,
      groups.value,
      childPath(awsvpcPath, groups.name),
      0,
      MAX_SECURITY_GROUPS,
      'security group IDs',
    );
  const publicIp = requireEntry(sink, awsvpc, 'AssignPublicIp', awsvpcPath, allOrNone, true);
  if (publicIp !== undefined) {
    const value = asString(publicIp.value);
    if (value !== 'ENABLED' && value !== 'DISABLED') {
      sink.error(
        publicIp.value,
        childPath(awsvpcPath, publicIp.name),
        'ecs-assign-public-ip-invalid',
        `AssignPublicIp is ${value === undefined ? describe(publicIp.value) : JSON.stringify(value)}; it must be ENABLED or DISABLED.`,
        'Write AssignPublicIp: "ENABLED" or "DISABLED" (quoted: unquoted yes/no/on/off are booleans in YAML 1.1).',
      );
    }
  }
}

function checkStringList(
  sink: ProblemSink,
  node: YamlNode,
  path: string,
  min: number,
  max: number,
  what: string,
): void {
  const hint = `Write a list of ${min}-${max} ${what}, e.g. ["${what.startsWith('subnet') ? 'subnet-1234abcd' : 'sg-12345678'}"].`;
  if (node.kind !== 'seq') {
    sink.error(
      node,
      path,
      'ecs-network-list-invalid',
      `${path.split('.').pop()} is ${describe(node)}; it must be a list of ${what}.`,
      hint,
    );
    return;
  }
  if (node.items.length < min || node.items.length > max) {
    sink.error(
      node,
      path,
      'ecs-network-list-invalid',
      `${path.split('.').pop()} lists ${node.items.length} ${what}; between ${min} and ${max} are allowed.`,
      hint,
    );
  }
  node.items.forEach((item, index) => {
    if (asString(item) === undefined || asString(item)?.trim() === '') {
      sink.error(
        item,
        childPath(path, index),
        'ecs-network-list-invalid',
        `Item is ${describe(item)}, not one of the ${what}.`,
        hint,
      );
    }
  });
}

function checkCapacityProviders(sink: ProblemSink, node: YamlNode, path: string): void {
  const hint =
    'Write CapacityProviderStrategy as a list of { CapacityProvider: FARGATE, Weight: 1, Base: 0 } items.';
  if (node.kind !== 'seq') {
    sink.error(
      node,
      path,
      'wrong-type',
      `CapacityProviderStrategy must be a list, not ${describe(node)}.`,
      hint,
    );
    return;
  }
  if (node.items.length === 0 || node.items.length > MAX_CAPACITY_PROVIDERS) {
    sink.error(
      node,
      path,
      'ecs-capacity-provider-invalid',
      `CapacityProviderStrategy lists ${node.items.length} providers; 1 to ${MAX_CAPACITY_PROVIDERS} are allowed.`,
      hint,
    );
  }
  let baseLine: number | undefined;
  let weights = 0;
  let anyWeight = false;
  node.items.forEach((item, index) => {
    const itemPath = childPath(path, index);
    const provider = expectMap(sink, item, itemPath, hint);
    if (provider === undefined) return;
    checkKnownKeys(sink, provider, ['CapacityProvider', 'Weight', 'Base'], itemPath, {
      caseInsensitive: true,
      ignoredBy: 'CodeDeploy',
    });
    const name = requireEntry(
      sink,
      provider,
      'CapacityProvider',
      itemPath,
      'Add "CapacityProvider: <name>", e.g. FARGATE or FARGATE_SPOT.',
      true,
    );
    if (name !== undefined && asString(name.value) === undefined) {
      sink.error(
        name.value,
        childPath(itemPath, name.name),
        'ecs-capacity-provider-invalid',
        `CapacityProvider is ${describe(name.value)}, not a provider name.`,
        'Write the capacity provider name as a string, e.g. FARGATE.',
      );
    }
    const weight = integerIn(sink, provider, itemPath, 'Weight', 0, 1000);
    if (weight !== undefined) {
      anyWeight = true;
      weights += weight;
    }
    const baseEntry = findEntry(provider, 'Base', true);
    const base = integerIn(sink, provider, itemPath, 'Base', 0, 100000);
    if (base !== undefined && base > 0 && baseEntry !== undefined) {
      if (baseLine !== undefined) {
        sink.error(
          baseEntry.value,
          childPath(itemPath, baseEntry.name),
          'ecs-capacity-provider-base',
          `A second capacity provider sets Base ${base} (the first is on line ${baseLine}).`,
          'Only one capacity provider in a strategy may have a Base greater than 0.',
        );
      } else {
        baseLine = baseEntry.value.line;
      }
    }
  });
  if (node.items.length > 1 && anyWeight && weights === 0) {
    sink.error(
      node,
      path,
      'ecs-capacity-provider-weights',
      'Every capacity provider has Weight 0, so no tasks can be placed.',
      'Give at least one capacity provider a Weight greater than 0.',
    );
  }
}

function integerIn(
  sink: ProblemSink,
  map: YamlMap,
  path: string,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const entry = findEntry(map, key, true);
  if (entry === undefined || isNull(entry.value)) return undefined;
  const scalar = asScalar(entry.value);
  if (scalar?.value.type === 'int' && scalar.value.value >= min && scalar.value.value <= max)
    return scalar.value.value;
  sink.error(
    entry.value,
    childPath(path, entry.name),
    'ecs-capacity-provider-invalid',
    `${entry.name} is ${scalar === undefined ? describe(entry.value) : JSON.stringify(scalar.text)}; it must be a whole number from ${min} to ${max}.`,
    `Write ${key}: <${min}..${max}>.`,
  );
  return undefined;
}
