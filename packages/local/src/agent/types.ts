import type { Diagnostics, LifecycleEventStatus, RevisionLocation } from '@aws-sdk/client-codedeploy';

/** One local on-premises instance: a folder under the state dir standing in for a host's filesystem. */
export interface InstanceWorkspace {
  /** The on-premises instance name. */
  name: string;
  /** The instance's folder. `files` destinations (/srv/app) are placed under `<root>/fs/srv/app`. */
  root: string;
}

/** What the agent needs to run one lifecycle event of one deployment on one instance. */
export interface LifecycleRequest {
  event: string;
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  revision: RevisionLocation;
  instance: InstanceWorkspace;
  /** DISALLOW | OVERWRITE | RETAIN, from the deployment (the appspec's own value wins). */
  fileExistsBehavior: string;
  /** The last successful deployment on this instance in this group (ApplicationStop etc. run from it). */
  lastSuccessfulDeploymentId: string | undefined;
  /** Aborted when the deployment is stopped or the server closes: a running hook is killed. */
  signal: AbortSignal;
}

export interface LifecycleResult {
  status: Extract<LifecycleEventStatus, 'Succeeded' | 'Failed' | 'Skipped'>;
  /** As the service reports them: errorCode, scriptName, message, logTail (≤ 2048 chars, whole lines). */
  diagnostics: Diagnostics;
}

/** The local agent: runs lifecycle events on instance folders. */
export interface Agent {
  run(request: LifecycleRequest): Promise<LifecycleResult>;
  /** Stops processes that hooks started and left running (called when the local CodeDeploy closes). */
  close?(): Promise<void>;
}
