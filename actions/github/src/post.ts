import * as core from '@actions/core';
import {
  createCodeDeployClient,
  getDeployment,
  isGateError,
  stopDeployment,
  TERMINAL_STATUSES,
} from '@codedeploy-gate/core';
import { readCancelPolicy } from './inputs.js';
import { runnerMasker } from './secrets.js';
import { unsettledDeployment } from './state.js';

/**
 * The post step: runs after the job's steps, also when the workflow was cancelled. When main created a
 * deployment and did not see it through (cancelled, killed, crashed), it applies `on-cancel` now, so
 * no deployment is left running unobserved. Never fails the job: it reports what it did.
 */
export async function runPost(): Promise<void> {
  const pending = unsettledDeployment();
  if (!pending) return;
  const { deploymentId, region } = pending;
  const policy = readCancelPolicy();
  const client = createCodeDeployClient(region ? { region } : {});
  try {
    const deployment = await getDeployment(client, deploymentId);
    const status = deployment.status ?? 'unknown';
    if (TERMINAL_STATUSES.has(status)) {
      core.info(`deployment ${deploymentId} already ended: ${status}`);
      return;
    }
    if (policy === 'leave') {
      core.warning(
        `deployment ${deploymentId} is still ${status} and nobody is watching it (on-cancel: leave)`,
        { title: 'Deployment left running' },
      );
      return;
    }
    const stop = await stopDeployment(client, deploymentId, { rollback: policy === 'rollback' });
    core.warning(
      `the step ended before deployment ${deploymentId} did (it was ${status}): StopDeployment${policy === 'rollback' ? ' with rollback' : ''}: ${stop.status}${stop.message ? ` (${stop.message})` : ''}`,
      { title: `Deployment ${policy === 'rollback' ? 'rolled back' : 'stopped'} by the post step` },
    );
  } catch (error) {
    const message = isGateError(error) ? error.message : String((error as Error)?.message ?? error);
    core.warning(runnerMasker()(`could not check or stop deployment ${deploymentId}: ${message}`).text, {
      title: 'Deployment may still be running',
    });
  } finally {
    client.destroy();
  }
}
