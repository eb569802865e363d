import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  ListApplicationsCommand,
} from '@aws-sdk/client-codedeploy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli, servedEndpoint, startCli } from '../support/run-cli.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-local-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('codedeploy-gate local run', () => {
  it('deploys the sample app to 3 local instances and exits 0 with a per-instance table', async () => {
    const run = await runCli(['local', 'run', join(EXAMPLES, 'sample-app'), '--instances', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 instances in sample-app\/sample-app-local/);
    expect(run.stdout).toMatch(/sample-app-2 +✓ ValidateService Succeeded/);
    for (const name of ['sample-app-1', 'sample-app-2', 'sample-app-3']) {
      expect(run.stdout).toMatch(new RegExp(`${name} +Succeeded`));
    }
    expect(run.stdout).toMatch(
      /✓ Deployment d-[A-Z0-9]{9} to sample-app\/sample-app-local succeeded on 3 of 3 targets/,
    );
  });

  it('exits 1 naming the failing instance, lifecycle event, error and log tail', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await writeFile(
      join(app, 'scripts', 'validate.sh'),
      '#!/bin/sh\necho "checking health"\necho "health check failed: 503" >&2\nexit 7\n',
    );
    await chmod(join(app, 'scripts', 'validate.sh'), 0o755);
    const run = await runCli(['local', 'run', app, '--instances', '2', '--application', 'broken']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /broken-1 +Failed .* ValidateService: ScriptFailed Script at specified location: scripts\/validate.sh failed with exit code 7/,
    );
    expect(run.stdout).toMatch(/\| .*\[stderr\]health check failed: 503/);
    expect(run.stdout).toMatch(
      /✗ Deployment d-[A-Z0-9]{9} to broken\/broken-local failed: HEALTH_CONSTRAINTS: .*; broken-1 failed in ValidateService \(ScriptFailed\)/,
    );
  });

  it('exits 2 without starting anything when the revision is invalid', async () => {
    await writeFile(
      join(work, 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: missing.sh\n',
    );
    const run = await runCli(['local', 'run', work]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/appspec\.yml:5:\d+ error hooks\.ApplicationStart\[0\]\.location/);
    expect(run.stdout).not.toMatch(/local CodeDeploy on/);
  });
});

describe('codedeploy-gate local serve', () => {
  it('serves the CodeDeploy API to the AWS SDK until SIGINT, then exits 0', async () => {
    const { child, done } = startCli([
      'local',
      'serve',
      '--port',
      '0',
      '--state-dir',
      join(work, 'state'),
      '--json',
    ]);
    const endpoint = await servedEndpoint(child);
    const client = new CodeDeployClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(new CreateApplicationCommand({ applicationName: 'served' }));
    const { applications } = await client.send(new ListApplicationsCommand({}));
    expect(applications).toEqual(['served']);
    client.destroy();
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/local CodeDeploy stopped/);
  });

  it('exits 2 with a hint when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    const run = await runCli(['local', 'serve', '--port', String(port)]);
    blocker.close();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`cannot listen on 127.0.0.1:${port}: the port is in use`));
    expect(run.stderr).toMatch(/hint: Pick another --port/);
  });

  it('rejects a bad port with exit 2', async () => {
    const run = await runCli(['local', 'serve', '--port', '99999']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--port must be a port number/);
  });
});
