import type { CapacityProviderStrategyItem, NetworkConfiguration } from '@aws-sdk/client-ecs';
import { ECS_HOOK_EVENTS, LAMBDA_HOOK_EVENTS, validateAppspec } from '@codedeploy-gate/core';
import type { TrafficPlatform } from './events.js';

/** Hook functions (names or ARNs) by lifecycle event, as the AppSpec's Hooks list names them. */
export type HookFunctions = Record<string, string>;

/** What a Lambda AppSpec asks for: shift the alias of a function from one version to another. */
export interface LambdaAppSpec {
  platform: 'Lambda';
  /** The function name (an ARN in the AppSpec is reduced to the name the local Lambda knows). */
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  hooks: HookFunctions;
}

/** What an ECS AppSpec asks for: a replacement task set from this task definition, behind this container. */
export interface EcsAppSpec {
  platform: 'ECS';
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  hooks: HookFunctions;
}

export type TrafficAppSpec = LambdaAppSpec | EcsAppSpec;

export type AppSpecReading = { ok: true; appspec: TrafficAppSpec } | { ok: false; problems: string[] };

/**
 * Reads a Lambda or ECS AppSpec (YAML or JSON) with core's validator, so the local CodeDeploy rejects
 * what the gate's pre-flight check rejects, and returns the one resource's settings and the hooks.
 */
export function readTrafficAppSpec(content: string, platform: TrafficPlatform): AppSpecReading {
  const validation = validateAppspec(content, {
    file: 'appspec',
    platform: platform === 'Lambda' ? 'lambda' : 'ecs',
  });
  const errors = validation.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || validation.appspec === undefined) {
    return {
      ok: false,
      problems: errors.map(
        (problem) => `line ${problem.line}${problem.path ? ` (${problem.path})` : ''}: ${problem.message}`,
      ),
    };
  }
  const root = validation.appspec as Record<string, unknown>;
  const resource = firstResource(root);
  const properties = record(field(resource, 'Properties'));
  const hooks = hookFunctions(field(root, 'Hooks'), platform);
  if (platform === 'Lambda') {
    return {
      ok: true,
      appspec: {
        platform,
        functionName: functionNameOf(text(field(properties, 'Name'))),
        alias: text(field(properties, 'Alias')),
        currentVersion: text(field(properties, 'CurrentVersion')),
        targetVersion: text(field(properties, 'TargetVersion')),
        hooks,
      },
    };
  }
  const loadBalancer = record(field(properties, 'LoadBalancerInfo'));
  const platformVersion = field(properties, 'PlatformVersion');
  const network = field(properties, 'NetworkConfiguration');
  const strategy = field(properties, 'CapacityProviderStrategy');
  return {
    ok: true,
    appspec: {
      platform,
      taskDefinition: text(field(properties, 'TaskDefinition')),
      containerName: text(field(loadBalancer, 'ContainerName')),
      containerPort: Number(field(loadBalancer, 'ContainerPort')),
      ...(platformVersion !== undefined ? { platformVersion: text(platformVersion) } : {}),
      ...(network !== undefined ? { networkConfiguration: networkConfigurationOf(record(network)) } : {}),
      ...(Array.isArray(strategy) ? { capacityProviderStrategy: strategy.map(capacityProviderOf) } : {}),
      hooks,
    },
  };
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` or `ACCOUNT:function:NAME` → NAME. */
export function functionNameOf(nameOrArn: string): string {
  const match = /(?:^|:)function:([A-Za-z0-9_-]+)/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/** The AWS docs write AppSpec keys in two cases (`Resources`/`resources`); the service accepts both. */
function field(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

function firstResource(root: Record<string, unknown>): Record<string, unknown> {
  const resources = field(root, 'Resources');
  const first = Array.isArray(resources) ? record(resources[0]) : {};
  const name = Object.keys(first)[0];
  return name === undefined ? {} : record(first[name]);
}

function hookFunctions(value: unknown, platform: TrafficPlatform): HookFunctions {
  // The events a hook function can be attached to; the others are CodeDeploy's own steps.
  const events: readonly string[] = platform === 'Lambda' ? LAMBDA_HOOK_EVENTS : ECS_HOOK_EVENTS;
  const hooks: HookFunctions = {};
  for (const item of Array.isArray(value) ? value : []) {
    for (const [event, fn] of Object.entries(record(item))) {
      const known = events.find((name) => name.toLowerCase() === event.toLowerCase());
      if (known !== undefined && fn !== null && fn !== undefined) hooks[known] = text(fn);
    }
  }
  return hooks;
}

function networkConfigurationOf(network: Record<string, unknown>): NetworkConfiguration {
  const awsvpc = record(field(network, 'AwsvpcConfiguration'));
  const list = (value: unknown) => (Array.isArray(value) ? value.map(text) : []);
  const assignPublicIp = field(awsvpc, 'AssignPublicIp');
  return {
    awsvpcConfiguration: {
      subnets: list(field(awsvpc, 'Subnets')),
      securityGroups: list(field(awsvpc, 'SecurityGroups')),
      ...(assignPublicIp !== undefined
        ? { assignPublicIp: text(assignPublicIp) as 'ENABLED' | 'DISABLED' }
        : {}),
    },
  };
}

function capacityProviderOf(item: unknown): CapacityProviderStrategyItem {
  const entry = record(item);
  const base = field(entry, 'Base');
  const weight = field(entry, 'Weight');
  return {
    capacityProvider: text(field(entry, 'CapacityProvider')),
    ...(base !== undefined ? { base: Number(base) } : {}),
    ...(weight !== undefined ? { weight: Number(weight) } : {}),
  };
}
