import {
  CreateDeploymentCommand,
  type CreateDeploymentInput,
  type DeploymentInfo,
  type DeploymentTarget,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { listTargets, pushRevision } from '@codedeploy-gate/core';
import { type Fleet, provisionFleet } from '../../src/index.js';
import type { Harness } from './helpers.js';

/** Sets up an application with `instances` local instances in one group, as `local run` does. */
export function fleet(
  h: Harness,
  application: string,
  instances: number,
  deploymentConfig?: string,
): Promise<Fleet> {
  return provisionFleet(
    { codeDeploy: h.codeDeploy, s3: h.s3 },
    { application, instances, ...(deploymentConfig ? { deploymentConfig } : {}) },
  );
}

/** Pushes a revision folder and creates a deployment of it; returns the deployment id. */
export async function deploy(
  h: Harness,
  target: Fleet,
  dir: string,
  extra: Partial<CreateDeploymentInput> = {},
): Promise<string> {
  const pushed = await pushRevision(dir, {
    application: target.application,
    s3Location: `s3://${target.bucket}/${target.application}`,
    clients: { codeDeploy: h.codeDeploy, s3: h.s3 },
  });
  const { deploymentId } = await h.codeDeploy.send(
    new CreateDeploymentCommand({
      applicationName: target.application,
      deploymentGroupName: target.deploymentGroup,
      revision: pushed.revision,
      ...extra,
    }),
  );
  if (!deploymentId) throw new Error('CreateDeployment returned no id');
  return deploymentId;
}

/** Polls GetDeployment (as a watcher on AWS would) until the status is terminal. */
export async function settle(h: Harness, deploymentId: string): Promise<DeploymentInfo> {
  for (let i = 0; i < 600; i++) {
    const { deploymentInfo } = await h.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    if (deploymentInfo?.status && ['Succeeded', 'Failed', 'Stopped'].includes(deploymentInfo.status)) {
      return deploymentInfo;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`deployment ${deploymentId} did not finish`);
}

export async function targetsOf(
  h: Harness,
  deploymentId: string,
): Promise<Record<string, DeploymentTarget['instanceTarget']>> {
  const targets = await listTargets(h.codeDeploy, deploymentId);
  return Object.fromEntries(targets.map((t) => [t.instanceTarget?.targetId ?? '?', t.instanceTarget]));
}
