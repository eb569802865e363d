import { setTimeout as sleep } from 'node:timers/promises';
import { type CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';

/**
 * `aws deploy wait deployment-successful`: botocore's DeploymentSuccessful waiter (codedeploy
 * waiters-2.json): GetDeployment, then success on `Succeeded`, failure on `Failed` or `Stopped`,
 * otherwise sleep `delay` and try again, giving up after `maxAttempts` looks.
 */
export const DEPLOYMENT_SUCCESSFUL = { delayS: 15, maxAttempts: 120 } as const;

export const WAITER_COMMAND = 'aws deploy wait deployment-successful --deployment-id ID';

export interface WaiterResult {
  state: 'success' | 'failure';
  status: string;
  attempts: number;
  /**
   * Times the waiter gave up ("Max attempts exceeded", after 120 looks: 30 minutes) and was started
   * again at once, as a retry loop around the command would, so that the end is still noticed.
   */
  restarts: number;
}

export interface WaiterOptions {
  delayMs: number;
  maxAttempts?: number;
  signal?: AbortSignal;
}

/** botocore `Waiter.wait`: look first, sleep after a look that matched nothing (never before the first). */
export async function awsDeployWait(
  client: CodeDeployClient,
  deploymentId: string,
  { delayMs, maxAttempts = DEPLOYMENT_SUCCESSFUL.maxAttempts, signal }: WaiterOptions,
): Promise<WaiterResult> {
  let attempts = 0;
  let restarts = 0;
  let sinceStart = 0;
  for (;;) {
    const { deploymentInfo } = await client.send(
      new GetDeploymentCommand({ deploymentId }),
      signal ? { abortSignal: signal } : {},
    );
    attempts += 1;
    sinceStart += 1;
    const status = deploymentInfo?.status ?? '';
    if (status === 'Succeeded') return { state: 'success', status, attempts, restarts };
    if (status === 'Failed' || status === 'Stopped') return { state: 'failure', status, attempts, restarts };
    if (sinceStart >= maxAttempts) {
      restarts += 1;
      sinceStart = 0;
      continue;
    }
    await sleep(delayMs, undefined, signal ? { signal } : {});
  }
}
