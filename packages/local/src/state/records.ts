import type {
  ApplicationInfo,
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  GenericRevisionInfo,
  InstanceInfo,
  InstanceTarget,
  RevisionLocation,
  Tag,
} from '@aws-sdk/client-codedeploy';
import type { TrafficRecord } from '../engine/traffic/records.js';
import {
  type AlarmState,
  type EcsState,
  emptyEcsState,
  emptyLambdaState,
  type LambdaState,
} from './compute-records.js';
import { type NameTable, nameTable } from './name-table.js';
import { type CodePipelineState, emptyCodePipelineState } from './pipeline-records.js';

/** A registered revision of an application (RegisterApplicationRevision, or first used by a deployment). */
export interface RevisionRecord {
  applicationName: string;
  revision: RevisionLocation;
  info: GenericRevisionInfo;
}

/** A deployment and the per-instance targets the service reports for it. */
export interface DeploymentRecord {
  info: DeploymentInfo;
  /** One InstanceTarget per instance, keyed by on-premises instance name (the target id). */
  targets: NameTable<InstanceTarget>;
  /** Lambda and ECS deployments: the AppSpec, task sets and hook executions (absent for EC2/on-premises). */
  traffic?: TrafficRecord;
}

/**
 * Per-group, per-instance bookkeeping the service keeps between deployments: instance health and which
 * revision is installed (drives scheduling order and ApplicationStop-from-last-successful).
 */
export interface InstanceHistory {
  health: 'Healthy' | 'Unhealthy';
  /** Deployment id of the last successful deployment to this instance in this group. */
  lastSuccessfulDeploymentId?: string;
  /** Deployment id of the last deployment that attempted this instance. */
  lastAttemptedDeploymentId?: string;
}

/** Everything the local CodeDeploy knows; persisted as one JSON document when a state dir is given. */
export interface LocalState {
  /** Applications by name. */
  applications: NameTable<ApplicationInfo>;
  /** Deployment groups by `${applicationName}/${deploymentGroupName}`. */
  deploymentGroups: NameTable<DeploymentGroupInfo>;
  /** Custom deployment configs by name (built-ins live in code). */
  deploymentConfigs: NameTable<DeploymentConfigInfo>;
  /** On-premises instances by name (tags included in InstanceInfo.tags). */
  instances: NameTable<InstanceInfo>;
  /** Revisions by `${applicationName}/${revisionKey(revision)}`. */
  revisions: NameTable<RevisionRecord>;
  /** Deployments by id. */
  deployments: NameTable<DeploymentRecord>;
  /** Instance history by `${deploymentGroupId}/${instanceName}`. */
  instanceHistory: NameTable<InstanceHistory>;
  /** Resource tags (TagResource/ListTagsForResource) by resource ARN. */
  tags: NameTable<Tag[]>;
  /** Monotonic counter for ids, so ids are unique across restarts. */
  sequence: number;
  /** The local CodePipeline: action types, pipelines, executions and jobs. */
  codePipeline: CodePipelineState;
  /** The local Lambda: functions, versions, aliases (what Lambda deployments shift traffic on). */
  lambda: LambdaState;
  /** The local ECS: clusters, services with task sets, task definitions. */
  ecs: EcsState;
  /** CloudWatch alarm states by alarm name (absent: INSUFFICIENT_DATA, as for an alarm never evaluated). */
  alarms: NameTable<AlarmState>;
}

export function emptyState(): LocalState {
  return {
    applications: nameTable(),
    deploymentGroups: nameTable(),
    deploymentConfigs: nameTable(),
    instances: nameTable(),
    revisions: nameTable(),
    deployments: nameTable(),
    instanceHistory: nameTable(),
    tags: nameTable(),
    sequence: 0,
    codePipeline: emptyCodePipelineState(),
    lambda: emptyLambdaState(),
    ecs: emptyEcsState(),
    alarms: nameTable(),
  };
}
