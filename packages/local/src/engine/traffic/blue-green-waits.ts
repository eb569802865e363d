import type { BlueGreenDeploymentConfiguration, DeploymentWaitType } from '@aws-sdk/client-codedeploy';
import { sleep } from './clock.js';

/**
 * When production traffic may move to the replacement task set: at once (CONTINUE_DEPLOYMENT, the
 * default), or once ContinueDeployment(READY_WAIT) arrives, the deployment Ready meanwhile and Stopped
 * when `timeoutMinutes` pass first (STOP_DEPLOYMENT; API reference DeploymentReadyOption). The service
 * refuses CONTINUE_DEPLOYMENT with a wait time, and the local one STOP_DEPLOYMENT without one
 * (deployment-groups/validation.ts), so a wait time means STOP_DEPLOYMENT and the reverse.
 */
export type ReadyWait = { kind: 'none' } | { kind: 'manual'; timeoutMinutes: number };

export function readyWaitOf(config: BlueGreenDeploymentConfiguration | undefined): ReadyWait {
  const option = config?.deploymentReadyOption;
  if (option?.actionOnTimeout !== 'STOP_DEPLOYMENT') return { kind: 'none' };
  return { kind: 'manual', timeoutMinutes: option.waitTimeInMinutes ?? 0 };
}

/**
 * What happens to the original task set once traffic is shifted: deleted after
 * terminationWaitTimeInMinutes (TERMINATE; 0 when none is configured) or sooner on
 * ContinueDeployment(TERMINATION_WAIT), or kept (KEEP_ALIVE).
 */
export type TerminationWait = { kind: 'keep' } | { kind: 'terminate'; waitMinutes: number };

export function terminationWaitOf(config: BlueGreenDeploymentConfiguration | undefined): TerminationWait {
  const option = config?.terminateBlueInstancesOnDeploymentSuccess;
  if (option?.action === 'KEEP_ALIVE') return { kind: 'keep' };
  return { kind: 'terminate', waitMinutes: option?.terminationWaitTimeInMinutes ?? 0 };
}

export type WaitEnd = 'continued' | 'timedOut' | 'aborted';

/** The blue/green waits deployments are in, so ContinueDeployment can end them early. */
export class ContinueWaits {
  private readonly pending = new Map<string, { type: DeploymentWaitType; release: () => void }>();

  /** Waits until `release(deploymentId, type)`, `timeoutMs` (none: forever) or the signal, whichever is first. */
  async wait(
    deploymentId: string,
    type: DeploymentWaitType,
    timeoutMs: number | undefined,
    signal: AbortSignal,
  ): Promise<WaitEnd> {
    const timer = new AbortController();
    const released = new Promise<'continued'>((resolve) => {
      this.pending.set(deploymentId, { type, release: () => resolve('continued') });
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true, signal: timer.signal });
    });
    const contenders: Promise<WaitEnd>[] = [released, aborted];
    if (timeoutMs !== undefined) {
      contenders.push(sleep(timeoutMs, timer.signal).then((slept) => (slept ? 'timedOut' : 'aborted')));
    }
    try {
      return await Promise.race(contenders);
    } finally {
      timer.abort();
      this.pending.delete(deploymentId);
    }
  }

  /** The wait a deployment is in, if any. */
  waitingFor(deploymentId: string): DeploymentWaitType | undefined {
    return this.pending.get(deploymentId)?.type;
  }

  /** Ends the deployment's wait if it is of that type; false when it is not waiting for it. */
  release(deploymentId: string, type: DeploymentWaitType): boolean {
    const wait = this.pending.get(deploymentId);
    if (!wait || wait.type !== type) return false;
    wait.release();
    return true;
  }
}
