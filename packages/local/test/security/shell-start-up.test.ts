import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { hookRevision, setEnvironment } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy, fleet, settle } from '../e2e/deployment-fixture.js';
import { type Harness, startHarness } from '../e2e/helpers.js';

// A user's shell start-up files never run inside a function or a hook: not ~/.bashrc (which bash
// reads when its stdin is a socket, as Node's pipes are), not the file BASH_ENV or ENV names. Both
// sleep 30 s here: a function or hook that read one would time out first (their timeouts are 20 s),
// and both export a secret that must not show.

let home: string;
let restoreEnvironment: (() => void) | undefined;
let h: Harness | undefined;
const SECRETS = { bashrc: 'secret-from-bashrc-7d1f', bashEnv: 'secret-from-bash-env-93c2' };

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'slow-home-'));
  const slow = (secret: string) =>
    `export LEAKED_SECRET=${secret}\necho "start-up file read: ${secret}" >&2\nsleep 30\n`;
  await writeFile(join(home, '.bashrc'), slow(SECRETS.bashrc));
  await writeFile(join(home, '.bash_profile'), slow(SECRETS.bashrc));
  await writeFile(join(home, '.profile'), slow(SECRETS.bashrc));
  await writeFile(join(home, 'bash-env.sh'), slow(SECRETS.bashEnv));
  restoreEnvironment = setEnvironment({
    HOME: home,
    BASH_ENV: join(home, 'bash-env.sh'),
    ENV: join(home, 'bash-env.sh'),
  });
  h = await startHarness({ port: 0 });
});

afterEach(async () => {
  restoreEnvironment?.();
  await h?.close();
  h = undefined;
  await rm(home, { recursive: true, force: true });
});

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRETS.bashrc);
  expect(text).not.toContain(SECRETS.bashEnv);
}

describe('shell start-up files', () => {
  it('are not read by a command runner: the invocation ends before its timeout, without their secret', async () => {
    h?.server.compute.putFunction({
      name: 'shell-command',
      runner: {
        command:
          'echo "leaked=[$LEAKED_SECRET]" >&2; bash -c \'echo "{\\"nested\\": \\"[$LEAKED_SECRET]\\"}"\'',
      },
      timeout: 20,
    });
    const invoked = await h?.lambda.send(
      new InvokeCommand({ FunctionName: 'shell-command', Payload: '{}', LogType: 'Tail' }),
    );
    const log = Buffer.from(invoked?.LogResult ?? '', 'base64').toString();
    const payload = Buffer.from(invoked?.Payload ?? []).toString();
    expect(invoked?.FunctionError, log).toBeUndefined();
    expect(JSON.parse(payload)).toEqual({ nested: '[]' });
    expect(log).toContain('leaked=[]');
    expectNoSecret(log + payload);
  });

  it('are not read by a command runner even when its environment says it is a top-level shell', async () => {
    h?.server.compute.putFunction({
      name: 'top-level',
      runner: { command: 'echo "leaked=[$LEAKED_SECRET]"' },
      environment: { SHLVL: '0' },
      timeout: 20,
    });
    const invoked = await h?.lambda.send(new InvokeCommand({ FunctionName: 'top-level', Payload: '{}' }));
    const payload = Buffer.from(invoked?.Payload ?? []).toString();
    expect(invoked?.FunctionError, payload).toBeUndefined();
    expect(JSON.parse(payload)).toBe('leaked=[]');
  });

  it('are not read by a hook script, nor by the bash it starts', async () => {
    const app = await fleet(h as Harness, 'startup', 1);
    const revision = await hookRevision(
      {
        ApplicationStart:
          'echo "leaked=[$LEAKED_SECRET]"\nbash -c \'echo "nested=[$LEAKED_SECRET]"\'\nexit 1',
      },
      { timeout: 20 },
    );
    try {
      const deploymentId = await deploy(h as Harness, app, revision);
      const info = await settle(h as Harness, deploymentId);
      const { deploymentTargets } = await (h as Harness).codeDeploy.send(
        new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: app.instanceNames }),
      );
      const start = deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents?.find(
        (event) => event.lifecycleEventName === 'ApplicationStart',
      );
      // It failed on its own `exit 1`, not on its 20-second timeout.
      expect(info.status).toBe('Failed');
      expect(start?.diagnostics?.errorCode).toBe('ScriptFailed');
      const logTail = start?.diagnostics?.logTail ?? '';
      expect(logTail).toContain('[stdout]leaked=[]');
      expect(logTail).toContain('[stdout]nested=[]');
      expectNoSecret(logTail);
    } finally {
      await rm(revision, { recursive: true, force: true });
    }
  });
});
