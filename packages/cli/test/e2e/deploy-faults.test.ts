import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultRule } from '@codedeploy-gate/local';
import { type RevisionFolder, writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deployArgs,
  deploymentIds,
  deploymentInfo,
  provisionApp,
  stopIfActive,
  useLocalCodeDeploy,
  watchStdout,
} from '../support/local-fleet.js';
import { runCli, startCli } from '../support/run-cli.js';

// A seeded server: the same requests draw the same faults on every run. Faults are switched on only
// around the CLI run, so setting up and reading back go through untouched. With this seed the storm
// below makes several polls fail past the SDK's retries, well short of the gate's limit of 8 in a row.
const SEED = 3;
const local = useLocalCodeDeploy({ seed: SEED, workPrefix: 'cli-deploy-faults-' });
let revision: RevisionFolder;

beforeAll(async () => {
  revision = await writeRevision();
});
afterAll(() => revision.cleanup());
afterEach(() => {
  local.server.setFaults([]);
});

async function deployWithFaults(
  application: string,
  instances: number,
  faults: FaultRule[],
  env: NodeJS.ProcessEnv = {},
) {
  const fleet = await provisionApp(local, application, instances);
  const report = join(local.work, 'report.json');
  local.server.setFaults(faults);
  const run = await runCli([...deployArgs(fleet, revision.dir), '--report-json', report], {
    env: { ...local.env, ...env },
  });
  local.server.setFaults([]);
  const written = run.code === 0 || run.code === 1 ? JSON.parse(await readFile(report, 'utf8')) : undefined;
  return { fleet, run, report: written, ids: await deploymentIds(local, fleet) };
}

describe('codedeploy-gate deploy against a misbehaving CodeDeploy', () => {
  it('gets through a throttling storm on the watch calls with the right verdict and one deployment', async () => {
    // Two SDK attempts instead of five: throttles more often get past the SDK to the gate's own
    // back-off (which this pins), and the SDK's growing back-off does not make the test slow.
    const { run, report, ids } = await deployWithFaults(
      'storm-app',
      2,
      [
        { operation: 'GetDeployment', throttle: 0.6 },
        { operation: 'BatchGetDeploymentTargets', throttle: 0.5 },
      ],
      { AWS_MAX_ATTEMPTS: '2' },
    );

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(report).toMatchObject({ verdict: 'succeeded', deployment: { status: 'Succeeded' } });
    expect(report.deployment.overview.succeeded).toBe(2);
    expect(ids).toEqual([report.deployment.id]);
    expect((await deploymentInfo(local, report.deployment.id)).status).toBe('Succeeded');
    // Each poll the SDK could not get through is retried by the gate, counted, and logged once.
    const retried =
      run.stdout.match(/^reading the deployment failed \(ThrottlingException\); next look in \d+ s$/gm) ?? [];
    expect(report.watch.throttled).toBe(retried.length);
  });

  it('adopts the deployment whose create answer was lost instead of creating a second one', async () => {
    const { run, report, ids } = await deployWithFaults('lost-app', 1, [
      { operation: 'CreateDeployment', lose: 1, count: 1 },
    ]);

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(ids).toEqual([report.deployment.id]);
    expect(run.stdout).toMatch(
      /warning: the create call's answer was lost \(.*\); looking for the deployment before trying again/,
    );
    expect(run.stdout).toContain(
      `deployment ${report.deployment.id} found again (its create answer was lost)`,
    );
    expect(report.verdict).toBe('succeeded');
    const adopted = report.actions.find((a: { kind: string }) => a.kind === 'adopted');
    expect(adopted.detail).toMatch(/found by its marker \[cdg:[0-9a-f]+\] after a lost answer/);
    expect(report.actions.map((a: { kind: string }) => a.kind)).not.toContain('created');
    const marker = /\[cdg:[0-9a-f]+\]/.exec(adopted.detail)?.[0] ?? '';
    expect((await deploymentInfo(local, report.deployment.id)).description).toContain(marker);
  });

  it('creates the deployment once when the create request never reached the service', async () => {
    const { run, report, ids } = await deployWithFaults('dropped-app', 1, [
      { operation: 'CreateDeployment', drop: 1, count: 1 },
    ]);

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(ids).toEqual([report.deployment.id]);
    expect(run.stdout).toMatch(/warning: the create call's answer was lost/);
    expect(run.stdout).toContain(`deployment ${report.deployment.id} created`);
    expect(report.verdict).toBe('succeeded');
    expect(report.actions.map((a: { kind: string }) => a.kind)).toEqual(['created']);
  });

  // A cancel that lands after a create call went out must not leave that call's deployment running:
  // the gate finds it by its marker and applies --on-cancel to it.
  it('stops, per --on-cancel, a deployment whose create answer was lost when SIGTERM arrives during the lookup', async () => {
    const fleet = await provisionApp(local, 'lost-cancel', 1);
    const slow = await writeRevision({ startSleep: 20 });
    local.server.setFaults([
      { operation: 'CreateDeployment', lose: 1, count: 1 },
      { operation: 'ListDeployments', latencyMs: 3_000 },
    ]);
    const { child, done } = startCli([...deployArgs(fleet, slow.dir), '--on-cancel', 'stop'], {
      env: local.env,
    });
    try {
      await watchStdout(child).until(/looking for the deployment before trying again/);
      child.kill('SIGTERM');
      const run = await done;
      local.server.setFaults([]);
      expect(run).toMatchObject({ code: 143, signal: null });
      const [id = ''] = await deploymentIds(local, fleet);
      expect(await deploymentIds(local, fleet)).toEqual([id]);
      expect((await deploymentInfo(local, id)).status).toBe('Stopped');
      expect(run.stderr).not.toMatch(/nothing was left half-done/);
    } finally {
      local.server.setFaults([]);
      for (const id of await deploymentIds(local, fleet)) await stopIfActive(local, id);
      await slow.cleanup();
    }
  });
});
