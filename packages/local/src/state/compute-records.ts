import type { Service, TaskDefinition, TaskSet } from '@aws-sdk/client-ecs';
import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';
import { type NameTable, nameTable } from './name-table.js';

/**
 * How a local function "runs" when invoked (a CodeDeploy hook, say): a shell command that gets the
 * event as JSON on stdin, or a JavaScript module whose exported handler gets it.
 */
export type LocalFunctionRunner = { command: string; cwd?: string } | { module: string; handler?: string };

/** One published version (or $LATEST) of a local Lambda function. */
export interface LambdaVersionRecord {
  configuration: FunctionConfiguration;
  runner?: LocalFunctionRunner;
  /** Where the code package of this version is kept (a zip under the state dir), if any. */
  codeFile?: string;
}

/** A local Lambda function: $LATEST, its published versions and its aliases. */
export interface LambdaFunctionRecord {
  latest: LambdaVersionRecord;
  /** Published versions by version number ("1", "2", ...). */
  versions: NameTable<LambdaVersionRecord>;
  /** Aliases by name; RoutingConfig.AdditionalVersionWeights holds fractions (0.1 = 10 %). */
  aliases: NameTable<AliasConfiguration>;
  /** Last version number handed out. */
  lastVersion: number;
}

/** A task set and the share of the listener's traffic CodeDeploy gives it (percent; not part of ECS's shape). */
export type EcsTaskSetRecord = TaskSet & { trafficWeight?: number };

/** A service as DescribeServices shows it, its task sets carrying their traffic weights. */
export type EcsServiceRecord = Omit<Service, 'taskSets'> & { taskSets?: EcsTaskSetRecord[] };

/** A local ECS cluster's services (with their task sets) by service name. */
export interface EcsClusterRecord {
  clusterArn: string;
  clusterName: string;
  services: NameTable<EcsServiceRecord>;
}

export interface EcsState {
  clusters: NameTable<EcsClusterRecord>;
  /** Task definitions by `family:revision`. */
  taskDefinitions: NameTable<TaskDefinition>;
  /** Last revision per family. */
  lastRevision: NameTable<number>;
}

export interface LambdaState {
  functions: NameTable<LambdaFunctionRecord>;
}

/** CloudWatch alarm states the local CodeDeploy consults for groups with alarm monitoring. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export function emptyLambdaState(): LambdaState {
  return { functions: nameTable() };
}

export function emptyEcsState(): EcsState {
  return { clusters: nameTable(), taskDefinitions: nameTable(), lastRevision: nameTable() };
}
