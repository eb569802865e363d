import * as core from '@actions/core';

/**
 * What the main step leaves for the post step (core.saveState → GITHUB_STATE → STATE_* in post): the
 * deployment it created, and whether it saw it through. A deployment created but not settled (the
 * job was cancelled, or main was killed or crashed) is one the post step must not leave running
 * unobserved.
 */
const DEPLOYMENT_ID = 'deployment-id';
const SETTLED = 'settled';
const REGION = 'region';

export function rememberDeployment(deploymentId: string, region: string): void {
  core.saveState(DEPLOYMENT_ID, deploymentId);
  core.saveState(REGION, region);
}

/** Main is done with the deployment: it ended, the gate applied its policy, or `wait: false`. */
export function markSettled(): void {
  core.saveState(SETTLED, 'true');
}

export function unsettledDeployment(): { deploymentId: string; region: string } | undefined {
  const deploymentId = core.getState(DEPLOYMENT_ID);
  if (deploymentId === '' || core.getState(SETTLED) === 'true') return undefined;
  return { deploymentId, region: core.getState(REGION) };
}
