import { createHash } from 'node:crypto';
import type {
  AlarmConfiguration,
  AutoRollbackConfiguration,
  DeploymentCreator,
  DeploymentGroupInfo,
  DeploymentInfo,
  DeploymentTarget,
  ECSTarget,
  InstanceTarget,
  LambdaTarget,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { type DeploymentRecord, type NameTable, nameTable } from '../../state/index.js';
import { overviewOf } from '../overview.js';
import type { TrafficAppSpec } from './appspec.js';
import { pendingTrafficLifecycle, type TrafficPlatform } from './events.js';

/** One invocation of a hook function, waiting for (or done with) its PutLifecycleEventHookExecutionStatus. */
export interface HookExecutionRecord {
  lifecycleEventName: string;
  functionName: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
}

/** The ECS service a deployment acts on and the task sets it moves traffic between. */
export interface EcsDeploymentState {
  clusterName: string;
  serviceName: string;
  /** The task set serving production traffic when the deployment started (Blue). */
  originalTaskSetId?: string;
  /** Its task definition, which a rollback goes back to. */
  originalTaskDefinition?: string;
  /** The task set the deployment moves traffic to (Green): created at Install, or given to a rollback. */
  replacementTaskSetId?: string;
}

/**
 * What a Lambda or ECS deployment keeps beside its DeploymentInfo and its one target, persisted with
 * the record so PutLifecycleEventHookExecutionStatus can answer for it and a rollback can reverse it.
 */
export interface TrafficRecord {
  appspec: TrafficAppSpec;
  ecs?: EcsDeploymentState;
  /** A rollback moves traffic back at once: no hooks, no waits, no check that the alias is where the AppSpec says. */
  rollback?: boolean;
  /**
   * Set once the deployment changed something a rollback would have to undo: the alias's first move
   * (Lambda), the replacement task set's creation (ECS). A deployment that ends before that — a
   * failed check, a stop while Created — has nothing to roll back, and no rollback follows it.
   */
  touched?: boolean;
  /** Hook executions by lifecycleEventHookExecutionId. */
  hookExecutions: NameTable<HookExecutionRecord>;
}

/** The traffic part of a Lambda or ECS deployment; undefined for EC2/on-premises deployments. */
export function trafficOf(record: DeploymentRecord): TrafficRecord | undefined {
  return record.traffic;
}

export function isTrafficDeployment(info: DeploymentInfo): boolean {
  return info.computePlatform === 'Lambda' || info.computePlatform === 'ECS';
}

/**
 * The one target of a Lambda or ECS deployment. Lambda and ECS targets share InstanceTarget's fields
 * (id, ARN, status, lifecycle events), so they live in `record.targets` and every counter and skip rule
 * of the engine applies to them unchanged.
 */
export function trafficTargetOf(record: DeploymentRecord): (LambdaTarget & ECSTarget) | undefined {
  const [target] = Object.values(record.targets);
  return target as (LambdaTarget & ECSTarget) | undefined;
}

/** BatchGetDeploymentTargets' view of a target, typed by the deployment's compute platform. */
export function deploymentTargetOf(info: DeploymentInfo, target: InstanceTarget): DeploymentTarget {
  if (info.computePlatform === 'Lambda') {
    return { deploymentTargetType: 'LambdaTarget', lambdaTarget: target as LambdaTarget };
  }
  if (info.computePlatform === 'ECS') {
    return { deploymentTargetType: 'ECSTarget', ecsTarget: target as ECSTarget };
  }
  return { deploymentTargetType: 'InstanceTarget', instanceTarget: target };
}

export interface NewTrafficDeployment {
  deploymentId: string;
  group: DeploymentGroupInfo;
  revision: RevisionLocation;
  appspec: TrafficAppSpec;
  deploymentConfigName: string;
  creator: DeploymentCreator;
  createTime: Date;
  region: string;
  accountId: string;
  /** ECS: the group's service (ecsServices[0]). */
  ecs?: EcsDeploymentState;
  rollback?: boolean;
  description?: string | undefined;
  autoRollbackConfiguration?: AutoRollbackConfiguration | undefined;
  overrideAlarmConfiguration?: AlarmConfiguration | undefined;
}

/** A Lambda or ECS deployment as CreateDeployment leaves it: Created, its one target Pending. */
export function newTrafficDeploymentRecord(spec: NewTrafficDeployment): DeploymentRecord {
  const platform: TrafficPlatform = spec.appspec.platform;
  const base = {
    deploymentId: spec.deploymentId,
    status: 'Pending' as const,
    lastUpdatedAt: spec.createTime,
    lifecycleEvents: pendingTrafficLifecycle(platform),
  };
  let target: LambdaTarget | ECSTarget;
  if (spec.appspec.platform === 'Lambda') {
    const { functionName, alias, currentVersion, targetVersion } = spec.appspec;
    target = {
      ...base,
      targetId: `${functionName}:${alias}`,
      targetArn: `arn:aws:lambda:${spec.region}:${spec.accountId}:function:${functionName}:${alias}`,
      lambdaFunctionInfo: {
        functionName,
        functionAlias: alias,
        currentVersion,
        targetVersion,
        targetVersionWeight: 0,
      },
    };
  } else {
    const clusterName = spec.ecs?.clusterName ?? '';
    const serviceName = spec.ecs?.serviceName ?? '';
    target = {
      ...base,
      targetId: `${clusterName}:${serviceName}`,
      targetArn: `arn:aws:ecs:${spec.region}:${spec.accountId}:service/${clusterName}/${serviceName}`,
      taskSetsInfo: [],
    };
  }
  const targets = nameTable([[target.targetId ?? '', target]]);
  const group = spec.group;
  const info: DeploymentInfo = {
    applicationName: group.applicationName,
    deploymentGroupName: group.deploymentGroupName,
    deploymentConfigName: spec.deploymentConfigName,
    deploymentId: spec.deploymentId,
    ...(group.targetRevision ? { previousRevision: group.targetRevision } : {}),
    revision: spec.revision,
    status: 'Created',
    createTime: spec.createTime,
    deploymentOverview: overviewOf(targets),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    creator: spec.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: spec.autoRollbackConfiguration ??
      group.autoRollbackConfiguration ?? { enabled: false },
    updateOutdatedInstancesOnly: false,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ...(platform === 'ECS' && group.blueGreenDeploymentConfiguration
      ? { blueGreenDeploymentConfiguration: group.blueGreenDeploymentConfiguration }
      : {}),
    ...(platform === 'ECS' && group.loadBalancerInfo ? { loadBalancerInfo: group.loadBalancerInfo } : {}),
    ...(spec.overrideAlarmConfiguration
      ? { overrideAlarmConfiguration: spec.overrideAlarmConfiguration }
      : {}),
    instanceTerminationWaitTimeStarted: false,
    deploymentStatusMessages: [],
    computePlatform: platform,
  };
  const traffic: TrafficRecord = {
    appspec: spec.appspec,
    ...(spec.ecs ? { ecs: spec.ecs } : {}),
    ...(spec.rollback ? { rollback: true } : {}),
    hookExecutions: nameTable(),
  };
  const record: DeploymentRecord = { info, targets, traffic };
  return record;
}

/**
 * The AppSpec a rollback deploys: the same resource with the versions (Lambda) or the task definition
 * (ECS) going back to what served before, no hooks. Sent as AppSpecContent like any Lambda/ECS revision.
 */
export function rollbackAppSpec(traffic: TrafficRecord): TrafficAppSpec {
  const appspec = traffic.appspec;
  if (appspec.platform === 'Lambda') {
    return {
      ...appspec,
      currentVersion: appspec.targetVersion,
      targetVersion: appspec.currentVersion,
      hooks: {},
    };
  }
  return {
    ...appspec,
    taskDefinition: traffic.ecs?.originalTaskDefinition ?? appspec.taskDefinition,
    hooks: {},
  };
}

/** The AppSpec as the JSON document a revision carries, with the sha256 CodeDeploy keys revisions by. */
export function appSpecRevision(appspec: TrafficAppSpec): RevisionLocation {
  const properties =
    appspec.platform === 'Lambda'
      ? {
          Name: appspec.functionName,
          Alias: appspec.alias,
          CurrentVersion: appspec.currentVersion,
          TargetVersion: appspec.targetVersion,
        }
      : {
          TaskDefinition: appspec.taskDefinition,
          LoadBalancerInfo: { ContainerName: appspec.containerName, ContainerPort: appspec.containerPort },
        };
  const resourceName = appspec.platform === 'Lambda' ? appspec.functionName : 'TargetService';
  const type = appspec.platform === 'Lambda' ? 'AWS::Lambda::Function' : 'AWS::ECS::Service';
  const content = JSON.stringify({
    version: 0.0,
    Resources: [{ [resourceName]: { Type: type, Properties: properties } }],
  });
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256Of(content) } };
}

export function sha256Of(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}
