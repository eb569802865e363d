import { randomInt } from 'node:crypto';
import type {
  AutoRollbackConfiguration,
  DeploymentCreator,
  DeploymentGroupInfo,
  DeploymentInfo,
  FileExistsBehavior,
  InstanceTarget,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import type { DeploymentRecord, LocalState } from '../state/index.js';
import { nameTable } from '../state/index.js';
import { pendingLifecycle } from './lifecycle.js';
import { overviewOf } from './overview.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A deployment id as the service forms them: `d-` and 9 uppercase alphanumerics. */
export function newDeploymentId(state: LocalState): string {
  for (;;) {
    const id = `d-${Array.from({ length: 9 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
    if (!state.deployments[id]) return id;
  }
}

/** Statuses in which a deployment still occupies its group ("1 concurrent deployment per group"). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set([
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
]);

export function isActive(info: DeploymentInfo): boolean {
  return ACTIVE_STATUSES.has(info.status ?? '');
}

export function groupKey(applicationName: string, deploymentGroupName: string): string {
  return `${applicationName}/${deploymentGroupName}`;
}

/** The deployment occupying a group, if any. */
export function activeDeploymentOf(
  state: LocalState,
  applicationName: string,
  groupName: string,
): string | undefined {
  return Object.values(state.deployments).find(
    ({ info }) =>
      info.applicationName === applicationName && info.deploymentGroupName === groupName && isActive(info),
  )?.info.deploymentId;
}

export interface NewDeployment {
  deploymentId: string;
  group: DeploymentGroupInfo;
  revision: RevisionLocation;
  deploymentConfigName: string;
  creator: DeploymentCreator;
  createTime: Date;
  /** Instance name → target ARN, for every instance the deployment targets. */
  targets: Record<string, string>;
  description?: string | undefined;
  ignoreApplicationStopFailures?: boolean | undefined;
  updateOutdatedInstancesOnly?: boolean | undefined;
  fileExistsBehavior?: FileExistsBehavior | undefined;
  autoRollbackConfiguration?: AutoRollbackConfiguration | undefined;
}

/** A deployment as CreateDeployment leaves it: Created, every target Pending with its full lifecycle. */
export function newDeploymentRecord(spec: NewDeployment): DeploymentRecord {
  const targets = nameTable<InstanceTarget>();
  for (const [name, targetArn] of Object.entries(spec.targets)) {
    targets[name] = {
      deploymentId: spec.deploymentId,
      targetId: name,
      targetArn,
      status: 'Pending',
      lastUpdatedAt: spec.createTime,
      lifecycleEvents: pendingLifecycle(),
    };
  }
  const info: DeploymentInfo = {
    applicationName: spec.group.applicationName,
    deploymentGroupName: spec.group.deploymentGroupName,
    deploymentConfigName: spec.deploymentConfigName,
    deploymentId: spec.deploymentId,
    ...(spec.group.targetRevision ? { previousRevision: spec.group.targetRevision } : {}),
    revision: spec.revision,
    status: 'Created',
    createTime: spec.createTime,
    deploymentOverview: overviewOf(targets),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    creator: spec.creator,
    ignoreApplicationStopFailures: spec.ignoreApplicationStopFailures ?? false,
    autoRollbackConfiguration: spec.autoRollbackConfiguration ??
      spec.group.autoRollbackConfiguration ?? { enabled: false },
    updateOutdatedInstancesOnly: spec.updateOutdatedInstancesOnly ?? false,
    deploymentStyle: spec.group.deploymentStyle ?? {
      deploymentType: 'IN_PLACE',
      deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
    },
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: spec.fileExistsBehavior ?? 'DISALLOW',
    deploymentStatusMessages: [],
    computePlatform: 'Server',
  };
  return { info, targets };
}

/**
 * Whether two revision locations name the same revision (what the service compares for "current").
 * An S3 location's eTag is not compared: the API reference makes it a check of the object ("If the
 * ETag is not specified as an input parameter, ETag validation of the object is skipped"), so the same
 * bucket/key/bundleType/version with and without an eTag is one revision, as ListApplicationRevisions
 * shows it on AWS.
 */
export function sameRevision(a: RevisionLocation | undefined, b: RevisionLocation | undefined): boolean {
  if (!a || !b || a.revisionType !== b.revisionType) return false;
  if (a.revisionType === 'GitHub') {
    return (
      a.gitHubLocation?.repository === b.gitHubLocation?.repository &&
      a.gitHubLocation?.commitId === b.gitHubLocation?.commitId
    );
  }
  if (a.revisionType === 'S3') {
    const [x, y] = [a.s3Location, b.s3Location];
    return (
      x?.bucket === y?.bucket &&
      x?.key === y?.key &&
      x?.bundleType === y?.bundleType &&
      (x?.version ?? '') === (y?.version ?? '')
    );
  }
  const content = (r: RevisionLocation) => r.string?.sha256 ?? r.appSpecContent?.sha256;
  return content(a) === content(b);
}
