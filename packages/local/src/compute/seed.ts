import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EcsClusterSeed, EcsServiceSeed, SeededService, TaskDefinitionSeed } from '../ecs/index.js';
import type { FunctionSeed, SeededFunction } from '../lambda/index.js';
import type { AlarmState, LocalFunctionRunner } from '../state/compute-records.js';
import { nameTable } from '../state/index.js';

/**
 * Lambda functions, ECS task definitions, clusters and services, and CloudWatch alarm states for the
 * local server to hold: `startLocalCodeDeploy({compute})`, `local.compute.seed(...)` or
 * `PUT /__local/compute` with this as JSON.
 */
export interface ComputeSeed {
  functions?: FunctionSeed[];
  ecs?: {
    /** Registered first, in order (a family seeded twice gets two revisions). */
    taskDefinitions?: TaskDefinitionSeed[];
    clusters?: EcsClusterSeed[];
  };
  /** Alarm states by alarm name. */
  alarms?: Record<string, AlarmState>;
}

/** What a seed made: ARNs and version numbers to put in AppSpecs and deployment groups. */
export interface ComputeSeedResult {
  functions: SeededFunction[];
  taskDefinitionArns: string[];
  services: SeededService[];
  alarms: Record<string, AlarmState>;
}

/** A seed that cannot be applied: what is wrong and where (`functions[0].runner`), nothing applied. */
export class ComputeSeedError extends Error {
  override name = 'ComputeSeedError';
}

export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks a seed's shape before anything is applied and returns it with runner paths made absolute
 * (relative `module` and `cwd` paths are relative to the current directory). References — an alias to
 * a version, a service to a task definition — are checked when the seed is applied.
 */
export function validateComputeSeed(value: unknown): ComputeSeed {
  const seed = objectAt(value, 'the compute seed');
  known(seed, ['functions', 'ecs', 'alarms'], 'the compute seed');
  const out: ComputeSeed = {};
  if (seed.functions !== undefined) {
    out.functions = arrayAt(seed.functions, 'functions').map((fn, i) => functionSeed(fn, `functions[${i}]`));
  }
  if (seed.ecs !== undefined) {
    const ecs = objectAt(seed.ecs, 'ecs');
    known(ecs, ['taskDefinitions', 'clusters'], 'ecs');
    out.ecs = {};
    if (ecs.taskDefinitions !== undefined) {
      out.ecs.taskDefinitions = arrayAt(ecs.taskDefinitions, 'ecs.taskDefinitions').map((definition, i) =>
        taskDefinitionSeed(definition, `ecs.taskDefinitions[${i}]`),
      );
    }
    if (ecs.clusters !== undefined) {
      out.ecs.clusters = arrayAt(ecs.clusters, 'ecs.clusters').map((cluster, i) =>
        clusterSeed(cluster, `ecs.clusters[${i}]`),
      );
    }
  }
  if (seed.alarms !== undefined) {
    const alarms = objectAt(seed.alarms, 'alarms');
    out.alarms = nameTable();
    for (const [name, state] of Object.entries(alarms))
      out.alarms[checkAlarmName(name)] = alarmStateAt(state, `alarms.${name}`);
  }
  return out;
}

/** An alarm state from user input; ComputeSeedError naming the accepted values otherwise. */
export function alarmStateAt(value: unknown, path: string): AlarmState {
  if (!ALARM_STATES.includes(value as AlarmState)) {
    throw new ComputeSeedError(
      `${path} must be one of ${ALARM_STATES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as AlarmState;
}

/** CloudWatch alarm names: 1-255 characters. */
export function checkAlarmName(name: string): string {
  if (name.length < 1 || name.length > 255) {
    throw new ComputeSeedError(`an alarm name must have 1 to 255 characters, got ${JSON.stringify(name)}`);
  }
  return name;
}

function functionSeed(value: unknown, path: string): FunctionSeed {
  const fn = objectAt(value, path);
  known(
    fn,
    [
      'name',
      'runner',
      'runtime',
      'handler',
      'description',
      'timeout',
      'memorySize',
      'environment',
      'versions',
      'aliases',
    ],
    path,
  );
  const name = stringAt(fn.name, `${path}.name`);
  if (!FUNCTION_NAME.test(name)) {
    throw new ComputeSeedError(
      `${path}.name must be 1-64 letters, digits, hyphens or underscores, got ${JSON.stringify(name)}`,
    );
  }
  const out: FunctionSeed = { name };
  if (fn.runner !== undefined) out.runner = runnerAt(fn.runner, `${path}.runner`);
  for (const key of ['runtime', 'handler', 'description'] as const) {
    if (fn[key] !== undefined) out[key] = stringAt(fn[key], `${path}.${key}`, true);
  }
  if (fn.timeout !== undefined) out.timeout = integerAt(fn.timeout, `${path}.timeout`, 1, 900);
  if (fn.memorySize !== undefined)
    out.memorySize = integerAt(fn.memorySize, `${path}.memorySize`, 128, 10240);
  if (fn.environment !== undefined) out.environment = stringMapAt(fn.environment, `${path}.environment`);
  if (fn.versions !== undefined) {
    out.versions = arrayAt(fn.versions, `${path}.versions`).map((version, i) => {
      const at = `${path}.versions[${i}]`;
      const v = objectAt(version, at);
      known(v, ['runner', 'description'], at);
      return {
        ...(v.runner !== undefined ? { runner: runnerAt(v.runner, `${at}.runner`) } : {}),
        ...(v.description !== undefined
          ? { description: stringAt(v.description, `${at}.description`, true) }
          : {}),
      };
    });
  }
  if (fn.aliases !== undefined) {
    out.aliases = arrayAt(fn.aliases, `${path}.aliases`).map((alias, i) => {
      const at = `${path}.aliases[${i}]`;
      const a = objectAt(alias, at);
      known(a, ['name', 'version', 'additionalVersionWeights', 'description'], at);
      const aliasName = stringAt(a.name, `${at}.name`);
      if (!ALIAS_NAME.test(aliasName)) {
        throw new ComputeSeedError(
          `${at}.name must be letters, digits, hyphens or underscores and not only digits, got ${JSON.stringify(aliasName)}`,
        );
      }
      const version = stringAt(a.version, `${at}.version`);
      if (!/^(\$LATEST|[1-9][0-9]*)$/.test(version)) {
        throw new ComputeSeedError(
          `${at}.version must be a version number or $LATEST, got ${JSON.stringify(version)}`,
        );
      }
      const weights = nameTable<number>();
      if (a.additionalVersionWeights !== undefined) {
        for (const [v, weight] of Object.entries(
          objectAt(a.additionalVersionWeights, `${at}.additionalVersionWeights`),
        )) {
          if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
            throw new ComputeSeedError(
              `${at}.additionalVersionWeights.${v} must be a fraction between 0 and 1 (0.1 = 10 %)`,
            );
          }
          weights[v] = weight;
        }
      }
      return {
        name: aliasName,
        version,
        ...(a.additionalVersionWeights !== undefined ? { additionalVersionWeights: weights } : {}),
        ...(a.description !== undefined
          ? { description: stringAt(a.description, `${at}.description`, true) }
          : {}),
      };
    });
  }
  return out;
}

/** `{command, cwd?}` or `{module, handler?}`, paths made absolute and checked to exist. */
export function runnerAt(value: unknown, path: string): LocalFunctionRunner {
  const runner = objectAt(value, path);
  if ('command' in runner && 'module' in runner) {
    throw new ComputeSeedError(`${path} must have either "command" or "module", not both`);
  }
  if ('command' in runner) {
    known(runner, ['command', 'cwd'], path);
    const command = stringAt(runner.command, `${path}.command`);
    if (runner.cwd === undefined) return { command };
    const cwd = resolve(stringAt(runner.cwd, `${path}.cwd`));
    if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ComputeSeedError(`${path}.cwd: no directory at ${cwd}`);
    }
    return { command, cwd };
  }
  if ('module' in runner) {
    known(runner, ['module', 'handler'], path);
    const module = resolve(stringAt(runner.module, `${path}.module`));
    if (!statSync(module, { throwIfNoEntry: false })?.isFile()) {
      throw new ComputeSeedError(
        `${path}.module: no file at ${module} (relative paths start at ${process.cwd()})`,
      );
    }
    if (runner.handler === undefined) return { module };
    const handler = stringAt(runner.handler, `${path}.handler`);
    if (!IDENTIFIER.test(handler)) {
      throw new ComputeSeedError(
        `${path}.handler must be the name of the module's exported function, got ${JSON.stringify(handler)}`,
      );
    }
    return { module, handler };
  }
  throw new ComputeSeedError(
    `${path} needs "command" (a shell command reading the event on stdin) or "module" (a JS file exporting handler(event))`,
  );
}

function taskDefinitionSeed(value: unknown, path: string): TaskDefinitionSeed {
  const definition = objectAt(value, path);
  const inner =
    definition.taskDefinition !== null && typeof definition.taskDefinition === 'object'
      ? objectAt(definition.taskDefinition, `${path}.taskDefinition`)
      : definition;
  stringAt(inner.family, `${path}.family`);
  if (!Array.isArray(inner.containerDefinitions) || inner.containerDefinitions.length === 0) {
    throw new ComputeSeedError(`${path}.containerDefinitions must list at least one container`);
  }
  return definition as TaskDefinitionSeed;
}

function clusterSeed(value: unknown, path: string): EcsClusterSeed {
  const cluster = objectAt(value, path);
  known(cluster, ['name', 'services'], path);
  const out: EcsClusterSeed = { name: stringAt(cluster.name, `${path}.name`) };
  if (cluster.services !== undefined) {
    out.services = arrayAt(cluster.services, `${path}.services`).map((service, i) => {
      const at = `${path}.services[${i}]`;
      const s = objectAt(service, at);
      known(
        s,
        [
          'name',
          'taskDefinition',
          'desiredCount',
          'deploymentController',
          'loadBalancers',
          'targetGroups',
          'launchType',
          'platformVersion',
          'networkConfiguration',
        ],
        at,
      );
      const taskDefinition =
        typeof s.taskDefinition === 'string'
          ? s.taskDefinition
          : taskDefinitionSeed(s.taskDefinition, `${at}.taskDefinition`);
      if (s.desiredCount !== undefined) integerAt(s.desiredCount, `${at}.desiredCount`, 0, 10000);
      if (
        s.deploymentController !== undefined &&
        !['CODE_DEPLOY', 'ECS'].includes(s.deploymentController as string)
      ) {
        throw new ComputeSeedError(`${at}.deploymentController must be CODE_DEPLOY or ECS`);
      }
      if (s.launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL'].includes(s.launchType as string)) {
        throw new ComputeSeedError(`${at}.launchType must be EC2, FARGATE or EXTERNAL`);
      }
      if (s.loadBalancers !== undefined) arrayAt(s.loadBalancers, `${at}.loadBalancers`);
      if (s.targetGroups !== undefined) {
        const groups = arrayAt(s.targetGroups, `${at}.targetGroups`);
        for (const [j, name] of groups.entries()) stringAt(name, `${at}.targetGroups[${j}]`);
      }
      if (s.networkConfiguration !== undefined)
        objectAt(s.networkConfiguration, `${at}.networkConfiguration`);
      return { ...s, name: stringAt(s.name, `${at}.name`), taskDefinition } as EcsServiceSeed;
    });
  }
  return out;
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ComputeSeedError(`${path} must be an object`);
  }
  return value as Record<string, unknown>;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ComputeSeedError(`${path} must be an array`);
  return value;
}

function stringAt(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new ComputeSeedError(`${path} must be a${allowEmpty ? '' : ' non-empty'} string`);
  }
  return value;
}

function integerAt(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ComputeSeedError(
      `${path} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function stringMapAt(value: unknown, path: string): Record<string, string> {
  const map = objectAt(value, path);
  for (const [key, member] of Object.entries(map)) stringAt(member, `${path}.${key}`, true);
  return map as Record<string, string>;
}

/** Unknown members are typos more often than not: name them rather than ignore them. */
function known(value: Record<string, unknown>, members: readonly string[], path: string): void {
  const unknown = Object.keys(value).filter((key) => !members.includes(key));
  if (unknown.length > 0) {
    throw new ComputeSeedError(
      `${path} has unknown member ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected ${members.join(', ')})`,
    );
  }
}
