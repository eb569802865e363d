import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import {
  createEcsRuntime,
  type EcsContext,
  type EcsServiceSeed,
  ecsService,
  ensureCluster,
  putService,
  registerSeededTaskDefinition,
  registrationInput,
  type SeededService,
  type TaskDefinitionSeed,
} from '../ecs/index.js';
import {
  createLambdaRuntime,
  FunctionInvoker,
  type FunctionSeed,
  type LambdaContext,
  putFunction,
  type SeededFunction,
  serveLambdaRequest,
} from '../lambda/index.js';
import type { UserCodeLauncher } from '../processes/index.js';
import { type AlarmState, type LocalState, nameTable, reviveState, type Store } from '../state/index.js';
import type { JsonService } from '../wire/json-service.js';
import type { ComputeRuntime } from './runtime.js';
import {
  alarmStateAt,
  type ComputeSeed,
  ComputeSeedError,
  type ComputeSeedResult,
  checkAlarmName,
  validateComputeSeed,
} from './seed.js';

/** Seeding and inspecting the local Lambda, ECS and alarms from code (the server handle's `compute`). */
export interface LocalCompute {
  /** What the deployment engine drives deployments with; tests can read aliases and task sets here. */
  runtime: ComputeRuntime;
  /** Adds (or updates) everything a seed describes; throws ComputeSeedError and applies nothing if any part fails. */
  seed(seed: ComputeSeed): ComputeSeedResult;
  /** Creates or updates one function (see FunctionSeed); returns its ARN and the versions it published. */
  putFunction(fn: FunctionSeed): SeededFunction;
  /** Creates the cluster if needed and puts the service in it (replacing one of the same name). */
  putService(cluster: string, service: EcsServiceSeed): SeededService;
  /** Registers the next revision of a task definition family. */
  registerTaskDefinition(definition: TaskDefinitionSeed): TaskDefinition;
  /** Sets a CloudWatch alarm's state (what deployment groups with alarm monitoring see). */
  setAlarm(name: string, state: AlarmState): void;
  /** Every alarm state set so far, by alarm name. */
  alarms(): Record<string, AlarmState>;
}

export interface LocalComputeOptions {
  store: Store;
  accountId: string;
  region: string;
  /** This server's endpoint, given to function runners as AWS_ENDPOINT_URL. */
  endpoint: string;
  /** Where code packages go (`<stateDir>/lambda`). */
  codeDir: string;
  /** Starts function runners (allowlisted environment, processes stopped at the server's close). */
  launcher: UserCodeLauncher;
  now: () => Date;
  log: (line: string) => void;
}

/** The local compute services as the server mounts them. */
export interface ComputeServices {
  compute: LocalCompute;
  /** ECS on the shared port (AWS JSON 1.1). */
  ecs: JsonService;
  /** Serves one Lambda REST request. */
  serveLambda(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Ends running invocations. */
  close(): Promise<void>;
}

/** The local Lambda, ECS and alarms over the store, with their runtime for the deployment engine. */
export function createComputeServices(options: LocalComputeOptions): ComputeServices {
  const { store, now, log } = options;
  const scope = { accountId: options.accountId, region: options.region };
  const invoker = new FunctionInvoker({
    store,
    scope,
    endpoint: options.endpoint,
    launcher: options.launcher,
    log,
  });
  const lambdaContext: LambdaContext = { ...scope, store, now, codeDir: options.codeDir, invoker, log };
  const ecsContext: EcsContext = { ...scope, store, now };
  const runtime: ComputeRuntime = {
    lambda: createLambdaRuntime(store, scope, invoker),
    ecs: createEcsRuntime(store, scope, now),
    alarmState: (name) => store.state.alarms[name] ?? 'INSUFFICIENT_DATA',
  };
  const seed = (value: ComputeSeed) =>
    applyComputeSeed(store, scope, validateComputeSeed(value), now(), false);
  const compute: LocalCompute = {
    runtime,
    seed,
    putFunction: (fn) => seed({ functions: [fn] }).functions[0] as SeededFunction,
    putService: (cluster, service) =>
      seed({ ecs: { clusters: [{ name: cluster, services: [service] }] } }).services[0] as SeededService,
    registerTaskDefinition: (definition) => {
      const arn = seed({ ecs: { taskDefinitions: [definition] } }).taskDefinitionArns[0] ?? '';
      const key = arn.slice(arn.lastIndexOf('/') + 1);
      return structuredClone(store.state.ecs.taskDefinitions[key] as TaskDefinition);
    },
    setAlarm: (name, state) => {
      const valid = alarmStateAt(state, `the state of alarm ${name}`);
      store.update((s) => {
        s.alarms[checkAlarmName(name)] = valid;
      });
    },
    alarms: () => ({ ...store.state.alarms }),
  };
  return {
    compute,
    ecs: ecsService(ecsContext),
    serveLambda: (req, res, url) => serveLambdaRequest(req, res, url, lambdaContext),
    close: () => invoker.close(),
  };
}

/**
 * Applies a validated seed in one store update: task definitions, then functions, clusters and
 * services, then alarms. Any failure restores the compute state as it was and names the part that
 * failed. With `keepExisting` (the server's start-up seed), what already exists is left alone, so a
 * restart on a state dir does not undo what deployments did.
 */
export function applyComputeSeed(
  store: Store,
  scope: { accountId: string; region: string },
  seed: ComputeSeed,
  now: Date,
  keepExisting: boolean,
): ComputeSeedResult {
  return store.update((state) => {
    const before = structuredClone({ lambda: state.lambda, ecs: state.ecs, alarms: state.alarms });
    try {
      return applyTo(state, scope, seed, now, keepExisting);
    } catch (error) {
      // structuredClone made the snapshot's tables ordinary objects: restore them as name tables.
      const { lambda, ecs, alarms } = reviveState(before);
      Object.assign(state, { lambda, ecs, alarms });
      throw error;
    }
  });
}

function applyTo(
  state: LocalState,
  scope: { accountId: string; region: string },
  seed: ComputeSeed,
  now: Date,
  keepExisting: boolean,
): ComputeSeedResult {
  const result: ComputeSeedResult = {
    functions: [],
    taskDefinitionArns: [],
    services: [],
    alarms: nameTable(),
  };
  (seed.ecs?.taskDefinitions ?? []).forEach((definition, i) => {
    const family = familyOf(definition);
    const existing = keepExisting ? state.ecs.lastRevision[family] : undefined;
    const arn =
      existing !== undefined
        ? state.ecs.taskDefinitions[`${family}:${existing}`]?.taskDefinitionArn
        : attempt(`ecs.taskDefinitions[${i}]`, () =>
            registerSeededTaskDefinition(state.ecs, scope, definition, now),
          ).taskDefinitionArn;
    result.taskDefinitionArns.push(arn ?? '');
  });
  (seed.functions ?? []).forEach((fn, i) => {
    const existing = state.lambda.functions[fn.name];
    if (keepExisting && existing) {
      result.functions.push({
        functionName: fn.name,
        functionArn: existing.latest.configuration.FunctionArn ?? '',
        versions: [],
        aliasArns: Object.fromEntries(
          Object.entries(existing.aliases).map(([name, alias]) => [name, alias.AliasArn ?? '']),
        ),
      });
      return;
    }
    result.functions.push(
      attempt(`functions[${i}] (${fn.name})`, () => putFunction(state.lambda, scope, fn, now)),
    );
  });
  (seed.ecs?.clusters ?? []).forEach((cluster, i) => {
    (cluster.services ?? []).forEach((service, j) => {
      const existing = state.ecs.clusters[cluster.name]?.services[service.name];
      if (keepExisting && existing?.status === 'ACTIVE') {
        result.services.push({
          clusterArn: existing.clusterArn ?? '',
          serviceArn: existing.serviceArn ?? '',
          taskDefinitionArn: existing.taskDefinition ?? '',
          ...(existing.taskSets?.[0]?.id ? { taskSetId: existing.taskSets[0].id } : {}),
          targetGroupArns: [],
        });
        return;
      }
      result.services.push(
        attempt(`ecs.clusters[${i}].services[${j}] (${cluster.name}/${service.name})`, () =>
          putService(state.ecs, scope, cluster.name, service, now),
        ),
      );
    });
    if ((cluster.services ?? []).length === 0) {
      attempt(`ecs.clusters[${i}] (${cluster.name})`, () => ensureCluster(state.ecs, scope, cluster.name));
    }
  });
  for (const [name, alarm] of Object.entries(seed.alarms ?? {})) {
    if (!(keepExisting && state.alarms[name] !== undefined)) state.alarms[name] = alarm;
    result.alarms[name] = state.alarms[name] ?? alarm;
  }
  return result;
}

function familyOf(definition: TaskDefinitionSeed): string {
  return registrationInput(definition).family ?? '';
}

/** Runs one part of a seed; a failure becomes a ComputeSeedError naming the part. */
function attempt<T>(path: string, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (error instanceof ComputeSeedError) throw error;
    throw new ComputeSeedError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
