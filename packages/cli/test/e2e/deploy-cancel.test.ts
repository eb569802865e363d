import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fleet } from '@codedeploy-gate/local';
import type { RevisionSpec } from '@codedeploy-gate/test-support';
import { describe, expect, it } from 'vitest';
import {
  deployArgs,
  deploymentIds,
  deploymentInfo,
  provisionApp,
  stopIfActive,
  untilStatus,
  useLocalCodeDeploy,
  watchStdout,
} from '../support/local-fleet.js';
import { runCli, startCli } from '../support/run-cli.js';

// Deployments that outlive the gate: timeouts, signals, a busy group. ApplicationStart sleeps long
// enough that only the gate's policy (or the test's clean-up) ends them.
const SLOW: RevisionSpec = { startSleep: 20, version: 'slow' };
// The gate gives its --on-cancel policy and the reports 4 s (core's DEFAULT_CANCEL_BUDGET_MS) and then
// exits whatever the answer: on a loaded machine no tighter bound holds, and this one still tells a
// prompt exit from a 20 s wait.
const CANCEL_EXIT_MS = 10_000;

const local = useLocalCodeDeploy({ workPrefix: 'cli-deploy-cancel-' });

/** A group whose last deployment succeeded: what a rollback returns to. */
async function withGoodDeployment(application: string): Promise<{ fleet: Fleet; good: string }> {
  const fleet = await provisionApp(local, application, 1);
  const run = await runCli(deployArgs(fleet, await local.revision({ version: 'good' })), { env: local.env });
  expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
  const [good] = await deploymentIds(local, fleet);
  return { fleet, good: good ?? '' };
}

/** The deployment a run created, from its `deployment d-... created` line; stopped after the test if still running. */
function createdBy(run: { stdout: string }): string {
  const id = /deployment (d-[A-Z0-9]+) created/.exec(run.stdout)?.[1];
  if (!id) throw new Error(`no "deployment ... created" line in:\n${run.stdout}`);
  local.afterTest(() => stopIfActive(local, id));
  return id;
}

describe('codedeploy-gate deploy --timeout', () => {
  const timeoutArgs = (policy: string) => [
    '--timeout',
    '3s',
    '--poll-interval',
    '0.5s',
    '--on-timeout',
    policy,
  ];

  it('exits 3 and stops the deployment with --on-timeout stop', async () => {
    const fleet = await provisionApp(local, 'timeout-stop', 1);
    const report = join(local.work, 'report.json');
    const run = await runCli(
      [...deployArgs(fleet, await local.revision(SLOW)), ...timeoutArgs('stop'), '--report-json', report],
      { env: local.env },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(3);
    const id = createdBy(run);
    expect(await deploymentIds(local, fleet)).toEqual([id]);
    const info = await deploymentInfo(local, id);
    expect(info.status).toBe('Stopped');
    expect(info.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    expect(run.stdout).toMatch(
      new RegExp(`✗ Gave up waiting for deployment ${id} .*gate timed out: StopDeployment`),
    );
    const written = JSON.parse(await readFile(report, 'utf8'));
    expect(written).toMatchObject({
      verdict: 'timed-out',
      exitCode: 3,
      deployment: { id, status: 'Stopped' },
    });
    expect(written.actions.map((a: { kind: string }) => a.kind)).toEqual(['created', 'stopped']);
  });

  it('exits 3, stops the deployment and starts a rollback to the last good one with --on-timeout rollback', async () => {
    const { fleet, good } = await withGoodDeployment('timeout-rollback');
    const report = join(local.work, 'report.json');
    const run = await runCli(
      [...deployArgs(fleet, await local.revision(SLOW)), ...timeoutArgs('rollback'), '--report-json', report],
      { env: local.env },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(3);
    const id = createdBy(run);
    const info = await deploymentInfo(local, id);
    expect(info.status).toBe('Stopped');
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect((await deploymentIds(local, fleet)).sort()).toEqual([good, id, rollbackId].sort());
    expect((await untilStatus(local, rollbackId ?? '')).status).toBe('Succeeded');
    expect(run.stdout).toMatch(/StopDeployment with rollback/);
    const written = JSON.parse(await readFile(report, 'utf8'));
    expect(written).toMatchObject({ verdict: 'timed-out', exitCode: 3, rollback: { id: rollbackId } });
  });

  it('exits 3 and leaves the deployment running with --on-timeout leave', async () => {
    const fleet = await provisionApp(local, 'timeout-leave', 1);
    const run = await runCli([...deployArgs(fleet, await local.revision(SLOW)), ...timeoutArgs('leave')], {
      env: local.env,
    });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(3);
    const id = createdBy(run);
    expect(await deploymentIds(local, fleet)).toEqual([id]);
    expect((await deploymentInfo(local, id)).status).toBe('InProgress');
    expect(run.stdout).toMatch(
      new RegExp(`gate timed out: deployment ${id} left running \\(policy leave\\)`),
    );
  });
});

describe('codedeploy-gate deploy interrupted by a signal', () => {
  /** Starts a slow deploy, signals it once the gate has seen it InProgress, and times the exit. */
  async function interrupt(fleet: Fleet, signal: NodeJS.Signals, ...extra: string[]) {
    const { child, done } = startCli([...deployArgs(fleet, await local.revision(SLOW)), ...extra], {
      env: local.env,
    });
    const stdout = watchStdout(child);
    const [, id = ''] = await stdout.until(/deployment (d-[A-Z0-9]+) created/);
    local.afterTest(() => stopIfActive(local, id));
    await stdout.until(new RegExp(`^\\[\\d+:\\d\\d\\] ${id} InProgress: `, 'm'));
    const signalledAt = Date.now();
    child.kill(signal);
    const run = await done;
    return { id, run, exitMs: Date.now() - signalledAt };
  }

  it('exits 143 on SIGTERM and stops the deployment with --on-cancel stop', async () => {
    const fleet = await provisionApp(local, 'term-stop', 1);
    const { id, run, exitMs } = await interrupt(fleet, 'SIGTERM', '--on-cancel', 'stop');

    expect(run).toMatchObject({ code: 143, signal: null });
    expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
    expect(run.stdout).toMatch(
      new RegExp(
        `✗ Cancelled by SIGTERM while deployment ${id} .* was Stopped; cancelled by SIGTERM: StopDeployment`,
      ),
    );
    const info = await deploymentInfo(local, id);
    expect(info.status).toBe('Stopped');
    expect(info.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
  });

  it('exits 143 on SIGTERM, stops the deployment and rolls back with --on-cancel rollback', async () => {
    const { fleet, good } = await withGoodDeployment('term-rollback');
    const report = join(local.work, 'report.json');
    const { id, run, exitMs } = await interrupt(
      fleet,
      'SIGTERM',
      '--on-cancel',
      'rollback',
      '--report-json',
      report,
    );

    expect(run).toMatchObject({ code: 143, signal: null });
    expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
    expect(run.stdout).toMatch(/Cancelled by SIGTERM .*StopDeployment with rollback/);
    const info = await deploymentInfo(local, id);
    expect(info.status).toBe('Stopped');
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect((await deploymentIds(local, fleet)).sort()).toEqual([good, id, rollbackId].sort());
    const written = JSON.parse(await readFile(report, 'utf8'));
    expect(written).toMatchObject({
      verdict: 'cancelled',
      exitCode: 143,
      deployment: { id, status: 'Stopped' },
    });
    expect(written.actions.map((a: { kind: string }) => a.kind)).toEqual(['created', 'stopped']);
  });

  it('exits 143 on SIGTERM and leaves the deployment running with --on-cancel leave', async () => {
    const fleet = await provisionApp(local, 'term-leave', 1);
    const { id, run, exitMs } = await interrupt(fleet, 'SIGTERM', '--on-cancel', 'leave');

    expect(run).toMatchObject({ code: 143, signal: null });
    expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
    expect(run.stdout).toMatch(
      new RegExp(`Cancelled by SIGTERM .*deployment ${id} left running \\(policy leave\\)`),
    );
    expect((await deploymentInfo(local, id)).status).toBe('InProgress');
  });

  it('exits 130 on SIGINT and stops the deployment (no good deployment to roll back to)', async () => {
    const fleet = await provisionApp(local, 'int-default', 1);
    const { id, run, exitMs } = await interrupt(fleet, 'SIGINT');

    expect(run).toMatchObject({ code: 130, signal: null });
    expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
    expect(run.stdout).toMatch(new RegExp(`✗ Cancelled by SIGINT while deployment ${id} .*StopDeployment: `));
    expect((await deploymentInfo(local, id)).status).toBe('Stopped');
  });
});

describe('codedeploy-gate deploy to a busy group', () => {
  it('exits 2 naming the active deployment without --queue, and waits for it with --queue', async () => {
    const fleet = await provisionApp(local, 'busy-app', 1);
    // 12 s: long enough to still be running after the refused run and the queued run's own start on
    // a loaded machine (4 s was not), short enough for --queue to wait it out well inside the test.
    const first = await runCli(
      [...deployArgs(fleet, await local.revision({ startSleep: 12 })), '--no-wait'],
      {
        env: local.env,
      },
    );
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    const active = createdBy(first);
    expect(await deploymentIds(local, fleet)).toEqual([active]);
    expect(first.stdout).toMatch(
      new RegExp(
        `✓ Deployment ${active} to busy-app/busy-app-local created \\(\\w+\\); not waiting for it\\.`,
      ),
    );

    const next = await local.revision({ version: '2' });
    const refused = await runCli(deployArgs(fleet, next), { env: local.env });
    expect(refused.code, `${refused.stdout}${refused.stderr}`).toBe(2);
    expect(refused.stderr).toContain(
      `error: deployment group busy-app/busy-app-local already has an active deployment ${active}; nothing was created`,
    );
    expect(refused.stderr).toMatch(/hint: .*--queue/);
    expect(await deploymentIds(local, fleet)).toEqual([active]);

    const report = join(local.work, 'report.json');
    const queued = await runCli([...deployArgs(fleet, next), '--queue', '--report-json', report], {
      env: local.env,
    });
    expect(queued.code, `${queued.stdout}${queued.stderr}`).toBe(0);
    expect(queued.stdout).toContain(`the group is busy with ${active}: waiting for it to end (--queue)`);
    const written = JSON.parse(await readFile(report, 'utf8'));
    expect(written.verdict).toBe('succeeded');
    expect(written.actions.map((a: { kind: string }) => a.kind)).toEqual(['queued', 'created']);
    const firstInfo = await deploymentInfo(local, active);
    const secondInfo = await deploymentInfo(local, written.deployment.id);
    expect(firstInfo.status).toBe('Succeeded');
    expect(secondInfo.status).toBe('Succeeded');
    expect(secondInfo.createTime?.getTime()).toBeGreaterThanOrEqual(
      firstInfo.completeTime?.getTime() ?? Infinity,
    );
    expect(await deploymentIds(local, fleet)).toHaveLength(2);
  });

  it('gives up queueing at --timeout with exit 3 and creates nothing', async () => {
    const fleet = await provisionApp(local, 'busy-timeout', 1);
    const first = await runCli([...deployArgs(fleet, await local.revision({ startSleep: 8 })), '--no-wait'], {
      env: local.env,
    });
    const active = createdBy(first);
    try {
      const queued = await runCli(
        [...deployArgs(fleet, await local.revision({ version: '2' })), '--queue', '--timeout', '2s'],
        { env: local.env },
      );
      expect(queued.code, `${queued.stdout}${queued.stderr}`).toBe(3);
      expect(queued.stderr).toContain(`gave up waiting for ${active}`);
      expect(await deploymentIds(local, fleet)).toEqual([active]);
      expect((await deploymentInfo(local, active)).status).toBe('InProgress');
    } finally {
      await stopIfActive(local, active);
    }
  });
});
