import type { TaskSet } from '@aws-sdk/client-ecs';

/**
 * What the deployment engine needs from the local Lambda, ECS and CloudWatch alarms to run Lambda and
 * ECS deployments (src/lambda and src/ecs implement it over the Store; the engine never touches their
 * records directly). Everything is synchronous on the Store except invoking a function.
 */
export interface ComputeRuntime {
  lambda: LambdaRuntime;
  ecs: EcsRuntime;
  /** A CloudWatch alarm's state; unknown alarms are `INSUFFICIENT_DATA`. */
  alarmState(name: string): 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

export interface AliasView {
  /** The version the alias points to. */
  version: string;
  /** Additional versions and their weights as fractions (0.1 = 10 %), as Lambda alias routing keeps them. */
  weights: Record<string, number>;
}

export interface LambdaRuntime {
  /** undefined when the function does not exist. */
  functionExists(functionName: string): boolean;
  /** undefined when the function or the alias does not exist. */
  alias(functionName: string, alias: string): AliasView | undefined;
  versionExists(functionName: string, version: string): boolean;
  /** Points the alias at `version` with the given additional weights (UpdateAlias's RoutingConfig). */
  routeAlias(functionName: string, alias: string, route: AliasView): void;
  /**
   * Invokes a function as CodeDeploy invokes hook functions: resolves when the invocation finished.
   * `ok: false` with `error` when the function does not exist, has no runner, or its runner failed
   * (the engine then fails the hook's event at once, a local deviation: AWS invokes hooks
   * asynchronously and waits out the hour for a report). `output` is the last 4 KB of the run's
   * output, cut at a character boundary.
   */
  invoke(
    functionName: string,
    payload: unknown,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; error?: string; output?: string }>;
}

export interface ServiceView {
  clusterName: string;
  serviceName: string;
  /** The task definition ARN of the primary task set (or the service's, before any task set). */
  taskDefinition: string;
  desiredCount: number;
  taskSets: TaskSet[];
  /**
   * Listener weight (percent) of each task set by task set id, as setTaskSetTraffic left it (the
   * initial task set of a CODE_DEPLOY service carries 100). Optional for fakes; the local ECS fills it.
   */
  trafficWeights?: Record<string, number>;
}

export interface NewTaskSet {
  taskDefinition: string;
  /** `external` id CodeDeploy gives the task set (the deployment id). */
  externalId: string;
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: TaskSet['networkConfiguration'];
  capacityProviderStrategy?: TaskSet['capacityProviderStrategy'];
  loadBalancers?: TaskSet['loadBalancers'];
}

export interface EcsRuntime {
  /** `cluster` and `service` are names (or ARNs); undefined when either does not exist. */
  service(cluster: string, service: string): ServiceView | undefined;
  /** The task definition's full ARN, from an ARN or `family:revision`; undefined when unknown. */
  taskDefinitionArn(taskDefinition: string): string | undefined;
  /** CreateTaskSet: a new ACTIVE task set at scale 0 % carrying no traffic. Returns its id. */
  createTaskSet(cluster: string, service: string, taskSet: NewTaskSet): TaskSet;
  /**
   * UpdateTaskSet's scale plus the listener weight CodeDeploy gives it (both percentages). The local
   * ECS sets the weight and raises the scale to at least the weight (never lowers it: an original task
   * set keeps its tasks until deleted, so traffic can go straight back on rollback).
   */
  setTaskSetTraffic(cluster: string, service: string, taskSetId: string, trafficWeight: number): void;
  /**
   * UpdateTaskSet's scale alone (percent of the service's desired count), e.g. to start a replacement
   * task set at full size before any traffic reaches it, as CodeDeploy does at Install. Optional for
   * fakes; the local ECS implements it.
   */
  scaleTaskSet?(cluster: string, service: string, taskSetId: string, scale: number): void;
  /** UpdateServicePrimaryTaskSet. */
  makePrimary(cluster: string, service: string, taskSetId: string): void;
  /** DeleteTaskSet. */
  deleteTaskSet(cluster: string, service: string, taskSetId: string): void;
}
