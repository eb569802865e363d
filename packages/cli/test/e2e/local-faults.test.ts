import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, servedEndpoint, startCli } from '../support/run-cli.js';

let serving: ChildProcess | undefined;
afterEach(() => {
  // Killed even when the test failed before its own SIGINT.
  if (serving && serving.exitCode === null && serving.signalCode === null) serving.kill('SIGKILL');
  serving = undefined;
});

describe('codedeploy-gate local serve --fault', () => {
  it('takes the settings as PUT /__local/faults spells them', async () => {
    const { child, done } = startCli([
      'local',
      'serve',
      '--port',
      '0',
      '--json',
      '--fault',
      'ListApplications:latencyMs=5,count=2',
      '--fault',
      'S3:*:serverError=0.5',
    ]);
    serving = child;
    const endpoint = await servedEndpoint(child);
    const rules = await (await fetch(`${endpoint}/__local/faults`)).json();
    expect(rules).toEqual([
      { operation: 'ListApplications', latencyMs: 5, count: 2 },
      { operation: 'S3:*', serverError: 0.5 },
    ]);
    // The same rules go back in through the admin endpoint unchanged.
    const put = await fetch(`${endpoint}/__local/faults`, { method: 'PUT', body: JSON.stringify(rules) });
    expect(put.status).toBe(200);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('exits 2 for a setting it does not know, naming the one meant and every allowed one', async () => {
    const run = await runCli([
      'local',
      'serve',
      '--port',
      '0',
      '--fault',
      'GetDeployment:throttle=0.5,latency=200',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'error: --fault: invalid fault "GetDeployment:throttle=0.5,latency=200": unknown setting "latency"; ' +
        'did you mean "latencyMs"? (a fault rule takes operation, throttle, serverError, accessDenied, drop, lose, latencyMs, count)',
    );
    expect(run.stderr).toContain(
      "hint: Write OPERATION:setting=value,..., e.g. --fault 'GetDeployment:throttle=0.5,latencyMs=200'.",
    );
    expect(run.stdout).not.toMatch(/listening/);
  });

  it('exits 2 for a value out of range', async () => {
    const run = await runCli(['local', 'serve', '--port', '0', '--fault', 'GetDeployment:throttle=1.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"throttle" must be a probability from 0 to 1, got 1.5/);
  });
});
