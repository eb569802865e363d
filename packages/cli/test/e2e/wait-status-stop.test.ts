import type { RevisionSpec } from '@codedeploy-gate/test-support';
import { describe, expect, it } from 'vitest';
import {
  deployArgs,
  deploymentInfo,
  FAST_POLLING,
  provisionApp,
  stopIfActive,
  untilStatus,
  useLocalCodeDeploy,
} from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

// `wait`, `status` and `stop` on deployments that `deploy --no-wait` created, each in its own group.
const local = useLocalCodeDeploy();

/** `deploy --no-wait --json` of a fresh revision to a new one-instance group; the deployment id. */
async function startDeployment(application: string, spec: RevisionSpec = {}): Promise<string> {
  const fleet = await provisionApp(local, application, 1);
  const revision = await local.revision(spec);
  const run = await runCli([...deployArgs(fleet, revision), '--no-wait', '--json'], { env: local.env });
  expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report).toMatchObject({ verdict: 'created', exitCode: 0 });
  const id: string = report.deployment.id;
  local.afterTest(() => stopIfActive(local, id));
  return id;
}

describe('codedeploy-gate wait', () => {
  it('exits 0 with a succeeded report for a --no-wait deployment that succeeds', async () => {
    const id = await startDeployment('wait-ok', { startSleep: 1 });
    const run = await runCli(['wait', id, ...FAST_POLLING, '--json'], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      verdict: 'succeeded',
      exitCode: 0,
      deployment: { id, status: 'Succeeded' },
    });
    expect(report.deployment.targets).toEqual([
      expect.objectContaining({ id: 'wait-ok-1', status: 'Succeeded' }),
    ]);
    expect((await deploymentInfo(local, id)).status).toBe('Succeeded');
  });

  it('exits 1 naming the failed hook for a --no-wait deployment that fails', async () => {
    const id = await startDeployment('wait-fail', { startSleep: 1, failOn: ['wait-fail-1'] });
    const run = await runCli(['wait', id, ...FAST_POLLING], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(
      /wait-fail-1: ValidateService failed \(ScriptFailed\) in scripts\/validate\.sh/,
    );
    expect(run.stdout).toContain('[stderr]failing on purpose');
    expect(run.stdout).toMatch(new RegExp(`✗ Deployment ${id} to wait-fail/wait-fail-local failed`));
    expect((await deploymentInfo(local, id)).status).toBe('Failed');
  });
});

describe('codedeploy-gate status', () => {
  it('prints the targets and exits 0 for a succeeded deployment', async () => {
    const id = await startDeployment('status-ok');
    await untilStatus(local, id);
    const run = await runCli(['status', id], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${id} status-ok/status-ok-local: Succeeded`, 'm'));
    expect(run.stdout).toMatch(
      /^revision s3:\/\/codedeploy-gate-local\/status-ok\/status-ok-[0-9a-f]{64}\.zip/m,
    );
    expect(run.stdout).toMatch(/^status-ok-1 +Succeeded/m);
  });

  it('prints the failure with its log tail and exits 1 for a failed deployment', async () => {
    const id = await startDeployment('status-fail', { failOn: ['status-fail-1'] });
    await untilStatus(local, id);
    const text = await runCli(['status', id], { env: local.env });

    expect(text.code, `${text.stdout}${text.stderr}`).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^${id} status-fail/status-fail-local: Failed`, 'm'));
    expect(text.stdout).toMatch(/^status-fail-1 +Failed .*ValidateService: ScriptFailed/m);
    expect(text.stdout).toMatch(/^ {2}\| \[stderr\]failing on purpose$/m);
    expect(text.stdout).toMatch(/deployment error HEALTH_CONSTRAINTS/);

    const run = await runCli(['status', id, '--json'], { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    const { deployment } = JSON.parse(run.stdout);
    expect(deployment).toMatchObject({ id, status: 'Failed', error: { code: 'HEALTH_CONSTRAINTS' } });
    const validate = deployment.targets[0].events.find((e: { name: string }) => e.name === 'ValidateService');
    expect(validate.diagnostics).toMatchObject({ errorCode: 'ScriptFailed' });
    expect(validate.diagnostics.logTail).toContain('failing on purpose');
  });

  it('exits 0 for a deployment still running', async () => {
    const id = await startDeployment('status-running', { startSleep: 20 });
    await untilStatus(local, id, ['InProgress']);
    const run = await runCli(['status', id], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${id} status-running/status-running-local: InProgress`, 'm'));
  });
});

describe('codedeploy-gate stop', () => {
  it('stops a running deployment and exits 0', async () => {
    const id = await startDeployment('stop-app', { startSleep: 20 });
    await untilStatus(local, id, ['InProgress']);
    const run = await runCli(['stop', id], { env: local.env });

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^deployment ${id} stopped`, 'm'));
    const info = await deploymentInfo(local, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(info.rollbackInfo?.rollbackDeploymentId).toBeUndefined();

    const again = await runCli(['stop', id], { env: local.env });
    expect(again.code, `${again.stdout}${again.stderr}`).toBe(0);
    expect(again.stdout).toContain(`deployment ${id} had already ended`);
  });

  it('stops a running deployment and rolls back to the last good revision with --rollback', async () => {
    const good = await startDeployment('stop-rollback');
    expect((await untilStatus(local, good)).status).toBe('Succeeded');
    const fleet = await provisionApp(local, 'stop-rollback', 1);
    const slow = await local.revision({ startSleep: 20, version: '2' });
    const created = await runCli([...deployArgs(fleet, slow), '--no-wait', '--json'], { env: local.env });
    const id: string = JSON.parse(created.stdout).deployment.id;
    local.afterTest(() => stopIfActive(local, id));
    await untilStatus(local, id, ['InProgress']);

    const run = await runCli(['stop', id, '--rollback'], { env: local.env });
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^deployment ${id} stopped, rollback requested`, 'm'));
    const info = await deploymentInfo(local, id);
    expect(info.status).toBe('Stopped');
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect(await untilStatus(local, rollbackId ?? '')).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      revision: (await deploymentInfo(local, good)).revision,
    });
  });
});

describe('a deployment id that does not exist', () => {
  it('is invalid input for wait, status and stop (exit 2, with a hint about the region)', async () => {
    for (const command of ['wait', 'status', 'stop']) {
      const run = await runCli([command, 'd-NOSUCH123'], { env: local.env });
      expect(run.code, `${command}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('error: deployment d-NOSUCH123 does not exist');
      expect(run.stderr).toMatch(/hint: .*region/);
    }
  });

  it('is rejected before any call when it is not shaped like a deployment id', async () => {
    const run = await runCli(['stop', 'not-an-id'], { env: local.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: stop: "not-an-id" is not a deployment id');
  });
});
