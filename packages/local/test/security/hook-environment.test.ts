import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { fakeSecrets, filesHolding, hookRevision, setEnvironment } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HookEnvironmentError, startLocalCodeDeploy } from '../../src/index.js';
import { deploy, fleet, settle } from '../e2e/deployment-fixture.js';
import { type Harness, rejectionOf, startHarness } from '../e2e/helpers.js';

// User code (hook scripts, local functions) runs with an allowlisted environment: nothing the host
// holds reaches it, its logs, the deployment's diagnostics or the state dir, unless passed by name.

let work: string;
let secrets: Record<string, string>;
let restoreEnvironment: (() => void) | undefined;
let h: Harness | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'hook-environment-'));
  secrets = fakeSecrets();
  restoreEnvironment = setEnvironment({ ...secrets, PASSED_ON: 'passed-on-value' });
});

afterEach(async () => {
  restoreEnvironment?.();
  await h?.close();
  h = undefined;
  await rm(work, { recursive: true, force: true });
});

const ALL_TARGETS = (h: Harness, deploymentId: string, targetIds: string[]) =>
  h.codeDeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }));

describe('the environment hook scripts get', () => {
  it("keeps the host's credentials out of hooks, scripts.log, diagnostics and the state dir; passes --hook-env variables", async () => {
    const stateDir = join(work, 'state');
    h = await startHarness({ port: 0, stateDir, hookEnvironment: { PASSED_ON: 'passed-on-value' } });
    const app = await fleet(h, 'envapp', 1);
    const revision = await hookRevision({ ApplicationStart: 'env', ValidateService: 'env\nexit 1' });
    try {
      const deploymentId = await deploy(h, app, revision);
      const info = await settle(h, deploymentId);
      expect(info.status).toBe('Failed');

      const { deploymentTargets } = await ALL_TARGETS(h, deploymentId, app.instanceNames);
      const events = deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents ?? [];
      const validate = events.find((event) => event.lifecycleEventName === 'ValidateService');
      const logTail = validate?.diagnostics?.logTail ?? '';
      // What the agent sets, the instance's variables and the passed-through one are there...
      expect(logTail).toContain('[stdout]LIFECYCLE_EVENT=ValidateService');
      expect(logTail).toContain(`[stdout]DEPLOYMENT_ID=${deploymentId}`);
      expect(logTail).toContain('[stdout]APPLICATION_NAME=envapp');
      expect(logTail).toContain('[stdout]DEPLOYMENT_GROUP_NAME=envapp-local');
      expect(logTail).toMatch(/\[stdout\]DEPLOYMENT_GROUP_ID=\S+/);
      expect(logTail).toMatch(/\[stdout\]BUNDLE_BUCKET=\S+/);
      expect(logTail).toContain(`[stdout]CODEDEPLOY_GATE_INSTANCE_NAME=${app.instanceNames[0]}`);
      expect(logTail).toContain('[stdout]PASSED_ON=passed-on-value');
      // ...and nothing the host holds besides: not even the names.
      for (const name of Object.keys(secrets)) expect(logTail).not.toContain(`${name}=`);

      const found = await filesHolding(stateDir, Object.values(secrets));
      expect(found).toEqual([]);
      // The proof that scripts.log was searched: the hooks' output is in it.
      const logs = (await filesHolding(stateDir, ['[stdout]LIFECYCLE_EVENT=ApplicationStart'])).join('\n');
      expect(logs).toMatch(/scripts\.log/);
    } finally {
      await rm(revision, { recursive: true, force: true });
    }
  });

  it('refuses a variable no hook may get, before anything is created', async () => {
    const stateDir = join(work, 'refused');
    for (const name of ['BASH_ENV', 'ENV', 'CODEDEPLOY_GATE_LOCAL_RUN', '1NAME', 'A-B']) {
      const error = await rejectionOf(startLocalCodeDeploy({ stateDir, hookEnvironment: { [name]: 'x' } }));
      expect(error).toBeInstanceOf(HookEnvironmentError);
      expect((error as HookEnvironmentError).exitCode).toBe(2);
    }
    await expect(readFile(join(stateDir, 'state.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the environment local functions get', () => {
  it("gives a function the allowlist, --hook-env variables and its own, never the host's credentials", async () => {
    h = await startHarness({ port: 0, hookEnvironment: { PASSED_ON: 'passed-on-value' } });
    h.server.compute.putFunction({
      name: 'printenv',
      runner: { command: 'env >&2; echo "{}"' },
      environment: { OWN_SETTING: 'own-value', BASH_ENV: '/dev/null' },
    });
    const invoked = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'printenv', Payload: '{}', LogType: 'Tail' }),
    );
    expect(invoked.FunctionError).toBeUndefined();
    const log = Buffer.from(invoked.LogResult ?? '', 'base64').toString();
    expect(log).toMatch(/^PASSED_ON=passed-on-value$/m);
    expect(log).toMatch(/^OWN_SETTING=own-value$/m);
    expect(log).toMatch(/^AWS_LAMBDA_FUNCTION_NAME=printenv$/m);
    // The local server's dummy key replaces the host's.
    expect(log).toMatch(/^AWS_SECRET_ACCESS_KEY=local$/m);
    expect(log).not.toMatch(/^BASH_ENV=/m);
    for (const value of Object.values(secrets)) expect(log).not.toContain(value);
    for (const name of ['AWS_SESSION_TOKEN', 'GITHUB_TOKEN', 'MY_TOKEN'])
      expect(log).not.toContain(`${name}=`);
  });
});
