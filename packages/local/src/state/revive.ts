import type { ApplicationInfo } from '@aws-sdk/client-codedeploy';
import type { EcsClusterRecord, EcsState, LambdaFunctionRecord, LambdaState } from './compute-records.js';
import { nameTableFrom } from './name-table.js';
import type { CodePipelineState, PipelineExecutionRecord } from './pipeline-records.js';
import { type DeploymentRecord, emptyState, type LocalState } from './records.js';

/**
 * The state as read from the state file, every name-keyed table rebuilt as a null-prototype table.
 * JSON.parse gives ordinary objects: a lookup of `constructor` in one finds Object's member, and a
 * record saved under `__proto__` becomes a prototype the moment it is copied by assignment.
 */
export function reviveState(parsed: unknown): LocalState {
  const saved = objectOr(parsed);
  const empty = emptyState();
  return {
    applications: nameTableFrom(saved.applications, reviveApplication),
    deploymentGroups: nameTableFrom(saved.deploymentGroups),
    deploymentConfigs: nameTableFrom(saved.deploymentConfigs),
    instances: nameTableFrom(saved.instances),
    revisions: nameTableFrom(saved.revisions),
    deployments: nameTableFrom(saved.deployments, reviveDeployment),
    instanceHistory: nameTableFrom(saved.instanceHistory),
    tags: nameTableFrom(saved.tags),
    sequence: typeof saved.sequence === 'number' ? saved.sequence : empty.sequence,
    codePipeline: reviveCodePipeline(saved.codePipeline),
    lambda: reviveLambda(saved.lambda),
    ecs: reviveEcs(saved.ecs),
    alarms: nameTableFrom(saved.alarms),
  };
}

/** The members of ApplicationInfo, the only ones GetApplication and BatchGetApplications may answer with. */
const APPLICATION_MEMBERS: ReadonlyArray<keyof ApplicationInfo> = [
  'applicationId',
  'applicationName',
  'createTime',
  'linkedToGitHub',
  'gitHubAccountName',
  'computePlatform',
];

/** An application as saved, without members a hand-edited file added (the server answers with the record). */
function reviveApplication(value: unknown): ApplicationInfo {
  const saved = objectOr(value);
  const application: Record<string, unknown> = {};
  for (const name of APPLICATION_MEMBERS) if (saved[name] !== undefined) application[name] = saved[name];
  return application as ApplicationInfo;
}

function reviveDeployment(value: unknown): DeploymentRecord {
  const record = value as DeploymentRecord;
  return {
    ...record,
    targets: nameTableFrom(record.targets),
    ...(record.traffic
      ? { traffic: { ...record.traffic, hookExecutions: nameTableFrom(record.traffic.hookExecutions) } }
      : {}),
  };
}

function reviveCodePipeline(value: unknown): CodePipelineState {
  const saved = objectOr(value);
  return {
    actionTypes: nameTableFrom(saved.actionTypes),
    pipelines: nameTableFrom(saved.pipelines),
    executions: nameTableFrom(saved.executions, (execution) => ({
      ...(execution as PipelineExecutionRecord),
      artifacts: nameTableFrom((execution as PipelineExecutionRecord).artifacts),
    })),
    actionExecutions: nameTableFrom(saved.actionExecutions),
    jobs: nameTableFrom(saved.jobs),
  };
}

function reviveLambda(value: unknown): LambdaState {
  return {
    functions: nameTableFrom(objectOr(value).functions, (fn) => ({
      ...(fn as LambdaFunctionRecord),
      versions: nameTableFrom((fn as LambdaFunctionRecord).versions),
      aliases: nameTableFrom((fn as LambdaFunctionRecord).aliases),
    })),
  };
}

function reviveEcs(value: unknown): EcsState {
  const saved = objectOr(value);
  return {
    clusters: nameTableFrom(saved.clusters, (cluster) => ({
      ...(cluster as EcsClusterRecord),
      services: nameTableFrom((cluster as EcsClusterRecord).services),
    })),
    taskDefinitions: nameTableFrom(saved.taskDefinitions),
    lastRevision: nameTableFrom(saved.lastRevision),
  };
}

function objectOr(value: unknown): Partial<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Partial<Record<string, unknown>>)
    : {};
}
