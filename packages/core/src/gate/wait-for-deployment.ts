import {
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentTarget,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { wrapAwsError } from '../errors/index.js';

/** Statuses after which a deployment never changes again. */
export const TERMINAL_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);

export interface WaitOptions {
  /** Time between GetDeployment calls. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called with each GetDeployment answer whose status or counters differ from the previous one. */
  onChange?: (deployment: DeploymentInfo) => void;
}

/**
 * Polls GetDeployment until the deployment reaches a terminal status and returns it. One call per
 * interval; the caller hears only about changes. (The full gate — adaptive polling, deadlines, stop
 * and rollback policies — builds on this.)
 */
export async function waitForDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  options: WaitOptions = {},
): Promise<DeploymentInfo> {
  const interval = options.intervalMs ?? 5_000;
  let previous = '';
  for (;;) {
    const info = await getDeployment(client, deploymentId, options.signal);
    const fingerprint = JSON.stringify([info.status, info.deploymentOverview]);
    if (fingerprint !== previous) {
      previous = fingerprint;
      options.onChange?.(info);
    }
    if (info.status && TERMINAL_STATUSES.has(info.status)) return info;
    await sleep(interval, options.signal);
  }
}

export async function getDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  signal?: AbortSignal,
): Promise<DeploymentInfo> {
  try {
    const { deploymentInfo } = await client.send(
      new GetDeploymentCommand({ deploymentId }),
      signal ? { abortSignal: signal } : {},
    );
    if (!deploymentInfo) throw new Error('GetDeployment returned no deploymentInfo');
    return deploymentInfo;
  } catch (error) {
    throw wrapAwsError(`reading deployment ${deploymentId}`, error);
  }
}

/** Every target of a deployment, fetched 25 at a time as BatchGetDeploymentTargets allows. */
export async function listTargets(
  client: CodeDeployClient,
  deploymentId: string,
  signal?: AbortSignal,
): Promise<DeploymentTarget[]> {
  const options = signal ? { abortSignal: signal } : {};
  try {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }), options);
      ids.push(...(page.targetIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const targets: DeploymentTarget[] = [];
    for (let i = 0; i < ids.length; i += 25) {
      const batch = await client.send(
        new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(i, i + 25) }),
        options,
      );
      targets.push(...(batch.deploymentTargets ?? []));
    }
    return targets;
  } catch (error) {
    throw wrapAwsError(`reading the targets of deployment ${deploymentId}`, error);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
