import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { provisionFleet } from '@codedeploy-gate/local';
import {
  DAEMONS,
  daemonPids,
  fakeSecrets,
  filesHolding,
  hookRevision,
  isRunning,
  killAll,
  stillRunning,
} from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployArgs, watchStdout } from '../support/local-fleet.js';
import { runCli, startCli } from '../support/run-cli.js';

// `local run` and `local serve` as a user starts them, with credentials in their environment:
// hooks see only what is passed by name, and nothing they leave running outlives the server.

let work: string;
let pidDir: string;
const servers: ChildProcess[] = [];
const revisions: string[] = [];

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-user-code-'));
  pidDir = join(work, 'pids');
  await mkdir(pidDir);
});

afterEach(async () => {
  for (const server of servers.splice(0)) if (server.exitCode === null) server.kill('SIGKILL');
  killAll(await daemonPids(pidDir).catch(() => []));
  for (const dir of revisions.splice(0)) await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

async function revision(hooks: Record<string, string>): Promise<string> {
  const dir = await hookRevision(hooks);
  revisions.push(dir);
  return dir;
}

describe('local run: the environment hooks get', () => {
  it('keeps the credentials it was started with out of hooks, stdout, the report and the state dir', async () => {
    const secrets = fakeSecrets();
    const envFile = join(work, 'hooks.env');
    await writeFile(envFile, '# for the hooks\nFROM_FILE="file value"\nPASSED_ON=overridden-by-the-flag\n');
    const stateDir = join(work, 'state');
    const report = join(work, 'report.json');
    const app = await revision({ ApplicationStart: 'env', ValidateService: 'env\nexit 1' });
    const run = await runCli(
      [
        'local',
        'run',
        app,
        '--instances',
        '1',
        '--application',
        'envapp',
        '--state-dir',
        stateDir,
        '--report-json',
        report,
        '--hook-env-file',
        envFile,
        '--hook-env',
        'PASSED_ON',
        '--hook-env',
        'GIVEN=given value',
      ],
      { env: { ...secrets, PASSED_ON: 'passed-on-value' } },
    );
    expect(run.code, run.stderr).toBe(1);
    const reportText = await readFile(report, 'utf8');
    // The failed hook's log tail reaches stdout and the report: what it printed is there...
    for (const text of [run.stdout, reportText]) {
      expect(text).toContain('[stdout]LIFECYCLE_EVENT=ValidateService');
      expect(text).toContain('[stdout]PASSED_ON=passed-on-value');
    }
    const passed = [
      '[stdout]FROM_FILE=file value',
      '[stdout]GIVEN=given value',
      '[stdout]DEPLOYMENT_GROUP_NAME=envapp-local',
    ];
    const inScriptsLog = (await filesHolding(stateDir, passed)).filter((found) =>
      /scripts\.log: /.test(found),
    );
    expect(inScriptsLog.map((found) => found.slice(found.indexOf(': ') + 2)).sort()).toEqual(
      [...passed].sort(),
    );
    // ...and no credential, anywhere.
    for (const value of Object.values(secrets)) {
      expect(run.stdout).not.toContain(value);
      expect(run.stderr).not.toContain(value);
      expect(reportText).not.toContain(value);
    }
    expect(await filesHolding(stateDir, Object.values(secrets))).toEqual([]);
  });

  it.each([
    [['--hook-env', '1ST_VAR'], /--hook-env 1ST_VAR: "1ST_VAR" is not a variable name/],
    [
      ['--hook-env', 'NOT_SET_ANYWHERE'],
      /--hook-env NOT_SET_ANYWHERE: NOT_SET_ANYWHERE is not set in this environment/,
    ],
    [['--hook-env', 'BASH_ENV=/tmp/rc'], /--hook-env BASH_ENV: BASH_ENV cannot be passed to hooks/],
    [['--hook-env-file', 'missing.env'], /--hook-env-file missing\.env: no such file/],
  ])('exits 2 without starting anything for %j', async (flags, message) => {
    const app = await revision({ ApplicationStart: 'true' });
    const run = await runCli(['local', 'run', app, ...flags], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/hint: /);
    expect(run.stdout).not.toMatch(/local CodeDeploy on/);
  });

  it('exits 2 naming the file and line of a bad --hook-env-file line, without quoting it', async () => {
    await writeFile(join(work, 'bad.env'), 'A=1\nghp_notavariable\n');
    const run = await runCli(['local', 'serve', '--port', '0', '--hook-env-file', 'bad.env'], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--hook-env-file bad\.env:2: expected NAME=VALUE/);
    expect(run.stderr).not.toContain('ghp_notavariable');
    expect(run.stdout).not.toMatch(/listening/);
  });
});

describe('local serve: what hooks leave running', () => {
  /** Starts `local serve` on the state dir, with PID_DIR passed to hooks; its endpoint and stdout. */
  async function serve(stateDir: string) {
    const { child, done } = startCli(
      ['local', 'serve', '--port', '0', '--state-dir', stateDir, '--hook-env', `PID_DIR=${pidDir}`],
      { env: fakeSecrets() },
    );
    servers.push(child);
    const stdout = watchStdout(child);
    const [, endpoint = ''] = await stdout.until(/listening on (http:\/\/\S+)/);
    return { child, done, endpoint };
  }

  /** Deploys a revision whose ApplicationStart leaves three daemons (setsid, nohup, double fork); their pids. */
  async function deployDaemons(endpoint: string): Promise<number[]> {
    const config = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const codeDeploy = new CodeDeployClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    try {
      const fleet = await provisionFleet({ codeDeploy, s3 }, { application: 'daemons', instances: 1 });
      const app = await revision({ ApplicationStart: DAEMONS });
      const deployed = await runCli(deployArgs(fleet, app), {
        env: {
          AWS_ENDPOINT_URL: endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      });
      expect(deployed.code, deployed.stderr).toBe(0);
    } finally {
      codeDeploy.destroy();
      s3.destroy();
    }
    const pids = await daemonPids(pidDir);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isRunning)).toEqual(pids);
    return pids;
  }

  it('is stopped when local serve gets SIGINT', async () => {
    const { child, done, endpoint } = await serve(join(work, 'state'));
    const pids = await deployDaemons(endpoint);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
    expect(await stillRunning(pids)).toEqual([]);
  });

  it('survives local serve killed with SIGKILL, and is stopped by the next local serve on the state dir', async () => {
    const stateDir = join(work, 'state');
    const first = await serve(stateDir);
    const pids = await deployDaemons(first.endpoint);
    first.child.kill('SIGKILL');
    await first.done;
    expect(pids.filter(isRunning)).toEqual(pids);

    const second = await serve(stateDir);
    expect(await stillRunning(pids)).toEqual([]);
    second.child.kill('SIGINT');
    expect((await second.done).code).toBe(0);
  });
});
