import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface RevisionSpec {
  /** Instances whose ValidateService fails (exit 3, "failing on purpose"). */
  failOn?: string[];
  /** Seconds ApplicationStart sleeps (to stop a deployment mid-way). */
  startSleep?: number;
  /** ValidateService timeout; with validateSleep above it, the hook times out. */
  validateTimeout?: number;
  validateSleep?: number;
  /** Written to the installed app, to tell revisions apart on the instance. */
  version?: string;
}

/**
 * A revision folder whose hooks behave per instance (they read CODEDEPLOY_GATE_INSTANCE_NAME), so one
 * deployment can succeed on some instances and fail on others.
 */
export async function writeRevision(
  spec: RevisionSpec = {},
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'local-revision-'));
  await mkdir(join(dir, 'scripts'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'VERSION'), `${spec.version ?? '1'}\n`);
  await writeFile(join(dir, 'fail-on'), `${(spec.failOn ?? []).join('\n')}\n`);
  await writeFile(
    join(dir, 'appspec.yml'),
    [
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: app',
      '    destination: /srv/app',
      'file_exists_behavior: OVERWRITE',
      'hooks:',
      '  ApplicationStop:',
      '    - location: scripts/stop.sh',
      '  ApplicationStart:',
      '    - location: scripts/start.sh',
      '  ValidateService:',
      '    - location: scripts/validate.sh',
      `      timeout: ${spec.validateTimeout ?? 30}`,
      '',
    ].join('\n'),
  );
  const scripts: Record<string, string> = {
    'stop.sh':
      'echo "stopping version $(cat "$CODEDEPLOY_GATE_INSTANCE_ROOT/srv/app/VERSION" 2>/dev/null || echo none)"',
    'start.sh': `echo "starting on $CODEDEPLOY_GATE_INSTANCE_NAME"; sleep ${spec.startSleep ?? 0}`,
    'validate.sh': [
      `sleep ${spec.validateSleep ?? 0}`,
      'if grep -qx "$CODEDEPLOY_GATE_INSTANCE_NAME" "$(dirname "$0")/../fail-on"; then',
      '  echo "validating $CODEDEPLOY_GATE_INSTANCE_NAME"',
      '  echo "failing on purpose" >&2',
      '  exit 3',
      'fi',
      'echo "healthy"',
    ].join('\n'),
  };
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(dir, 'scripts', name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, 'scripts', name), 0o755);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

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
