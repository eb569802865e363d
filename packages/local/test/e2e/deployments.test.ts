import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  StopDeploymentCommand,
  waitUntilDeploymentSuccessful,
} from '@aws-sdk/client-codedeploy';
import { writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, fleet, settle, targetsOf } from './deployment-fixture.js';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('in-place deployments through the real SDK', () => {
  it('OneAtATime on 3 instances: every lifecycle event succeeds and the files land in each instance folder', async () => {
    const target = await fleet(h, 'one-at-a-time', 3);
    const revision = await writeRevision({ version: '7' });
    const id = await deploy(h, target, revision.dir);
    const info = await settle(h, id);
    expect(info).toMatchObject({
      status: 'Succeeded',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      creator: 'user',
      deploymentOverview: { Succeeded: 3, Failed: 0, Pending: 0, InProgress: 0, Skipped: 0 },
    });
    expect(info.completeTime?.getTime()).toBeGreaterThanOrEqual(info.startTime?.getTime() ?? Infinity);
    const targets = await targetsOf(h, id);
    for (const name of target.instanceNames) {
      const instance = targets[name];
      expect(instance?.status).toBe('Succeeded');
      expect(instance?.lifecycleEvents?.map((e) => e.lifecycleEventName)).toEqual(IN_PLACE_EVENTS);
      expect(instance?.lifecycleEvents?.every((e) => e.status === 'Succeeded')).toBe(true);
      const installed = join(h.server.instancesDir, name, 'fs', 'srv', 'app', 'VERSION');
      expect(await readFile(installed, 'utf8')).toBe('7\n');
    }
    const group = await h.codeDeploy.send(
      new GetDeploymentGroupCommand({
        applicationName: target.application,
        deploymentGroupName: target.deploymentGroup,
      }),
    );
    expect(group.deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId).toBe(id);
    await revision.cleanup();
  });

  it('reports the failing instance, event, error code and log tail, and skips what follows (OneAtATime)', async () => {
    const target = await fleet(h, 'one-fails', 3);
    const revision = await writeRevision({ failOn: ['one-fails-1', 'one-fails-2'] });
    const id = await deploy(h, target, revision.dir);
    const info = await settle(h, id);
    expect(info.status).toBe('Failed');
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    const failed = Object.values(await targetsOf(h, id)).filter((t) => t?.status === 'Failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    const events = failed[0]?.lifecycleEvents ?? [];
    const validate = events.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(validate).toMatchObject({
      status: 'Failed',
      diagnostics: {
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh failed with exit code 3',
      },
    });
    expect(validate?.diagnostics?.logTail).toContain('[stderr]failing on purpose');
    await revision.cleanup();
  });

  it('AllAtOnce succeeds when at least one instance succeeds', async () => {
    const target = await fleet(h, 'all-at-once', 3, 'CodeDeployDefault.AllAtOnce');
    const revision = await writeRevision({ failOn: ['all-at-once-1', 'all-at-once-2'] });
    const info = await settle(h, await deploy(h, target, revision.dir));
    expect(info).toMatchObject({ status: 'Succeeded', deploymentOverview: { Succeeded: 1, Failed: 2 } });
    await revision.cleanup();
  });

  it('HalfAtATime fails once fewer than half the instances can be healthy', async () => {
    const target = await fleet(h, 'half', 4, 'CodeDeployDefault.HalfAtATime');
    const revision = await writeRevision({ failOn: ['half-1', 'half-2', 'half-3'] });
    const info = await settle(h, await deploy(h, target, revision.dir));
    expect(info.status).toBe('Failed');
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    await revision.cleanup();
  });

  it('honours a custom minimum healthy hosts by FLEET_PERCENT', async () => {
    await h.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'Keep75Percent',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
      }),
    );
    const target = await fleet(h, 'custom-percent', 4, 'Keep75Percent');
    const ok = await writeRevision();
    expect((await settle(h, await deploy(h, target, ok.dir))).status).toBe('Succeeded');
    // 75% of 4 = 3 must stay healthy: two failures break it.
    const bad = await writeRevision({ failOn: ['custom-percent-1', 'custom-percent-2'], version: '2' });
    const info = await settle(h, await deploy(h, target, bad.dir));
    expect(info.status).toBe('Failed');
    await Promise.all([ok.cleanup(), bad.cleanup()]);
  });

  it('times out a hook that runs past its timeout with ScriptTimedOut', async () => {
    const target = await fleet(h, 'timeout', 1);
    const revision = await writeRevision({ validateTimeout: 1, validateSleep: 20 });
    const id = await deploy(h, target, revision.dir);
    expect((await settle(h, id)).status).toBe('Failed');
    const validate = (await targetsOf(h, id))['timeout-1']?.lifecycleEvents?.find(
      (e) => e.lifecycleEventName === 'ValidateService',
    );
    expect(validate?.diagnostics).toMatchObject({
      errorCode: 'ScriptTimedOut',
      message: 'Script at specified location: scripts/validate.sh failed to complete in 1 seconds',
    });
    await revision.cleanup();
  });

  it('refuses a second deployment to a busy group, then stops the first mid-way', async () => {
    const target = await fleet(h, 'stop-me', 2);
    const revision = await writeRevision({ startSleep: 30 });
    const id = await deploy(h, target, revision.dir);
    const second = await rejectionOf(deploy(h, target, revision.dir));
    expect(second).toBeInstanceOf(DeploymentLimitExceededException);
    expect(second.message).toContain(id);
    for (let i = 0; i < 100; i++) {
      const { deploymentInfo } = await h.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
      if (deploymentInfo?.deploymentOverview?.InProgress) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await h.codeDeploy.send(new StopDeploymentCommand({ deploymentId: id }));
    const info = await settle(h, id);
    expect(info.status).toBe('Stopped');
    expect(info.errorInformation?.code).toBe('MANUAL_STOP');
    await revision.cleanup();
  });

  it('rolls back automatically to the last good revision, linking both deployments', async () => {
    const target = await fleet(h, 'rollback', 2);
    const good = await writeRevision({ version: 'good' });
    const goodId = await deploy(h, target, good.dir);
    expect((await settle(h, goodId)).status).toBe('Succeeded');
    const bad = await writeRevision({ version: 'bad', failOn: ['rollback-1', 'rollback-2'] });
    const badId = await deploy(h, target, bad.dir, {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const failed = await settle(h, badId);
    expect(failed.status).toBe('Failed');
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    const rollback = await settle(h, rollbackId ?? '');
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: badId },
    });
    const installed = join(h.server.instancesDir, 'rollback-1', 'fs', 'srv', 'app', 'VERSION');
    expect(await readFile(installed, 'utf8')).toBe('good\n');
    await Promise.all([good.cleanup(), bad.cleanup()]);
  });

  it("satisfies the SDK's own DeploymentSuccessful waiter, and fails it on a failed deployment", async () => {
    const target = await fleet(h, 'waiter', 1);
    const ok = await writeRevision();
    const id = await deploy(h, target, ok.dir);
    const result = await waitUntilDeploymentSuccessful(
      { client: h.codeDeploy, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { deploymentId: id },
    );
    expect(result.state).toBe('SUCCESS');
    const bad = await writeRevision({ failOn: ['waiter-1'], version: '2' });
    const badId = await deploy(h, target, bad.dir);
    await expect(
      waitUntilDeploymentSuccessful(
        { client: h.codeDeploy, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
        { deploymentId: badId },
      ),
    ).rejects.toThrow(/FAILURE/);
    await Promise.all([ok.cleanup(), bad.cleanup()]);
  });
});

describe('a restart with a state dir', () => {
  it('keeps deployments and runs ApplicationStop from the last successful revision afterwards', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'local-restart-'));
    const first = await startHarness({ stateDir });
    const target = await fleet(first, 'restart', 1);
    const v1 = await writeRevision({ version: 'v1' });
    const id = await deploy(first, target, v1.dir);
    expect((await settle(first, id)).status).toBe('Succeeded');
    await first.close();

    const second = await startHarness({ stateDir });
    try {
      const { deploymentInfo } = await second.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
      expect(deploymentInfo?.status).toBe('Succeeded');
      const v2 = await writeRevision({ version: 'v2' });
      const next = await deploy(second, target, v2.dir);
      expect((await settle(second, next)).status).toBe('Succeeded');
      const stop = (await targetsOf(second, next))['restart-1']?.lifecycleEvents?.find(
        (e) => e.lifecycleEventName === 'ApplicationStop',
      );
      expect(stop?.diagnostics?.logTail).toContain('stopping version v1');
      await v2.cleanup();
    } finally {
      await second.close();
      await v1.cleanup();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe('a GitHub revision', () => {
  const hasGit = (() => {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasGit)('deploys a commit from a local git repository standing in for GitHub', async () => {
    const githubDir = await mkdtemp(join(tmpdir(), 'local-github-'));
    const repo = join(githubDir, 'acme', 'web');
    const revision = await writeRevision({ version: 'from-git' });
    await cp(revision.dir, repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo })
        .toString()
        .trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'release');
    const commitId = git('rev-parse', 'HEAD');
    const gh = await startHarness({ githubDir });
    try {
      const target = await fleet(gh, 'github', 1);
      const { deploymentId } = await gh.codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: target.application,
          deploymentGroupName: target.deploymentGroup,
          revision: { revisionType: 'GitHub', gitHubLocation: { repository: 'acme/web', commitId } },
        }),
      );
      expect((await settle(gh, deploymentId ?? '')).status).toBe('Succeeded');
      const installed = join(gh.server.instancesDir, 'github-1', 'fs', 'srv', 'app', 'VERSION');
      expect(await readFile(installed, 'utf8')).toBe('from-git\n');
    } finally {
      await gh.close();
      await revision.cleanup();
      await rm(githubDir, { recursive: true, force: true });
    }
  });
});
