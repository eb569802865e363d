import type { ComputePlatform, MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';

/** Schema id of the JSON a plan is written as (`--report-json`). */
export const PLAN_SCHEMA = 'codedeploy-gate/plan@1';

/** The revision `deploy` would deploy, as far as it can be known without uploading or registering it. */
export interface PlannedRevision {
  kind: 'folder' | 's3' | 'github' | 'appspec' | 'lambda' | 'ecs';
  /** `s3://BUCKET/KEY` (for a folder: the content-addressed key `push` would use), or `OWNER/REPO@SHA`. */
  location: string;
  bundleType?: string;
  /** Lower-case hex SHA-256 of the bundle (a folder's, built here; an S3 bundle's from its metadata). */
  sha256?: string;
  size?: number;
  files?: number;
  /** True when that exact bundle is already at `location`: `deploy` would upload nothing. */
  alreadyInS3?: boolean;
}

/** The group's live revision: the revision of its last successful deployment. */
export interface LiveRevision {
  deploymentId: string;
  location: string;
  bundleType?: string;
  size?: number;
  /** Bytes read from S3 to list it: for a zip the end record and central directory (range requests). */
  bytesDownloaded?: number;
}

/** One file that differs between the live bundle and the new one. */
export interface FileChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** In the new bundle (absent for a removed file). */
  size?: number;
  mode?: number;
  /** In the live bundle (absent for an added file). */
  previousSize?: number;
  previousMode?: number;
}

export interface FileChanges {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Sorted by path. */
  entries: FileChange[];
}

/** One difference between the live appspec and the new one, in words. */
export interface AppspecChange {
  area: 'hooks' | 'files' | 'permissions' | 'settings';
  change: 'added' | 'removed' | 'changed';
  /** `ValidateService`, `app -> /srv/app`, `file_exists_behavior`. */
  subject: string;
  detail: string;
}

/** Where an instance stands in CodeDeploy's scheduling order (user guide, "Instance health"). */
export type InstanceStanding = 'unhealthy' | 'unknown' | 'old' | 'current';

export interface PlannedTarget {
  id: string;
  standing: InstanceStanding;
}

/** An on-premises instance the group's tags match that is deregistered: no deployment reaches it. */
export interface OfflineInstance {
  id: string;
  /** ISO time of DeregisterOnPremisesInstance, as BatchGetOnPremisesInstances reports it. */
  deregisteredAt?: string;
}

export interface Rollout {
  deploymentConfig: string;
  minimumHealthyHosts?: MinimumHealthyHosts;
  targets: number;
  /** Instances that must stay healthy; with `invalid`, the deployment fails before it starts. */
  minimumHealthy: number;
  /** Instances deployed to at the same time. */
  batchSize: number;
  /** Failed instances tolerated: one more fails the deployment (unless it was the last one). */
  failureBudget: number;
  invalid: boolean;
  batches: PlannedTarget[][];
  /** In words: at which point the deployment would fail. */
  failsWhen: string;
  /** Where the target list came from (on-premises tags, or the last deployment for EC2 groups). */
  targetSource: string;
  /** Deregistered instances the group's tags match (on-premises groups): not among `targets`. */
  offline?: OfflineInstance[];
}

/** One setting that differs between what runs now and what would run (a Lambda version, a task definition). */
export interface SettingChange {
  /** `runtime`, `environment DB_URL`, `container web image`. */
  subject: string;
  change: 'added' | 'removed' | 'changed';
  /** Before → after, in words; never a variable's value. */
  detail: string;
}

/** A Lambda alias shift or an ECS task set replacement: what runs now, what would run. */
export interface ComputeChange {
  kind: 'lambda' | 'ecs';
  /** `my-fn:live` or `cluster/service`. */
  target: string;
  /** `version 3`, `web:41`. */
  from: string;
  /** `version 4`, `a version published from $LATEST`, `a new revision of web`. */
  to: string;
  changes: SettingChange[];
  /** ECS: the container and port the load balancer sends traffic to. */
  loadBalancer?: string;
}

/** One traffic step: at `atMinutes` after the start, `percent` of traffic is on the new version. */
export interface TrafficStep {
  atMinutes: number;
  percent: number;
}

export interface TrafficPlan {
  deploymentConfig: string;
  type: string;
  steps: TrafficStep[];
  /** `10 % for 5 min, then 100 %`. */
  description: string;
  /** ECS blue/green waits and test traffic, in words. */
  waits: string[];
}

/** What guards the deployment while it runs. */
export interface Safeguards {
  /** `on DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM`, or `disabled`. */
  autoRollback: string;
  /** Alarm names, or empty when the group watches none. */
  alarms: string[];
  /** Median duration of the group's recent successful deployments. */
  expectedDurationMs?: number;
  /** How many deployments the median is from. */
  durationFrom?: number;
}

export interface PlanFinding {
  severity: 'blocking' | 'warning' | 'note';
  code:
    | 'group-busy'
    | 'queued'
    | 'no-instances'
    | 'minimum-healthy-unreachable'
    | 'unhealthy-instances'
    | 'instances-offline'
    | 'no-live-revision'
    | 'live-revision-unreadable'
    | 'unchanged'
    | 'missing-hook-function'
    | 'missing-container'
    | 'access-denied';
  message: string;
  hint?: string;
}

/** What `codedeploy-gate plan` found: the JSON report, and what the text and Markdown render. */
export interface DeploymentPlan {
  schema: typeof PLAN_SCHEMA;
  application: string;
  deploymentGroup: string;
  computePlatform: ComputePlatform;
  region: string;
  generatedAt: string;
  revision: PlannedRevision;
  live?: LiveRevision;
  files?: FileChanges;
  appspec?: AppspecChange[];
  rollout?: Rollout;
  compute?: ComputeChange;
  traffic?: TrafficPlan;
  safeguards?: Safeguards;
  findings: PlanFinding[];
  blocking: boolean;
  /** 1 when a finding blocks the deployment, else 0. */
  exitCode: 0 | 1;
}
