import { lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import type { Fleet } from '@codedeploy-gate/local';
import {
  type CountingProxy,
  closeSocket,
  identity,
  listenOnSocket,
  makeFifo,
  outputDevice,
  sparseFile,
  startCountingProxy,
} from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploymentIds, provisionApp, useLocalCodeDeploy } from '../support/local-fleet.js';
import { type CliOptions, type CliRun, startCli } from '../support/run-cli.js';

// A local CodeDeploy behind a proxy that counts every request the CLI sends: input a command must
// refuse is refused with exit 2 before the first one.
const local = useLocalCodeDeploy({ workPrefix: 'cli-hostile-' });
let proxy: CountingProxy;
let fleet: Fleet;
let socket: Server | undefined;
const running = new Set<ReturnType<typeof startCli>['child']>();

beforeAll(async () => {
  proxy = await startCountingProxy(local.server.endpoint);
  fleet = await provisionApp(local, 'hostile', 1);
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => {
  proxy.requests.length = 0;
});
afterEach(async () => {
  // A regression that blocks (a pipe read blindly) must not outlive its test.
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await closeSocket(socket);
  socket = undefined;
});

const MiB = 1024 * 1024;

/** The CLI, pointed at the counting proxy. */
async function cli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const started = startCli(args, { env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint }, ...options });
  running.add(started.child);
  const run = await started.done;
  running.delete(started.child);
  return run;
}

/** Exit 2, the message on stderr with no stack trace, and not one request sent. */
function expectRefused(run: CliRun, message: string | RegExp): void {
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr).toMatch(typeof message === 'string' ? `error: ${message}` : message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(proxy.requests).toEqual([]);
}

const deployTo = (...args: string[]) => [
  'deploy',
  '--application',
  fleet.application,
  '--deployment-group',
  fleet.deploymentGroup,
  ...args,
];
const s3Location = () => `s3://${fleet.bucket}/hostile`;

/** Names left beside a refused output that were not there before: temporary files must not be. */
async function newNames(dir: string, before: string[]): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !before.includes(name));
}

describe('package hostile-input: --out is only ever a regular file', () => {
  it('refuses a character device with exit 2, leaving it a device and nothing beside it', async () => {
    const device = outputDevice(local.work);
    const before = await readdir(dirname(device));
    const run = await cli(['package', await local.revision(), '--out', device]);
    expectRefused(run, `the bundle ${device} is a character device, not a regular file; nothing was written`);
    expect(identity(device).kind).toBe('character device');
    expect(await newNames(dirname(device), before)).toEqual([]);
  });

  it('refuses a named pipe, a socket, a folder and a link to a device, touching none', async () => {
    const revision = await local.revision();
    const fifo = makeFifo(join(local.work, 'pipe.zip'));
    socket = await listenOnSocket(join(local.work, 'sock.zip'));
    await mkdir(join(local.work, 'out'));
    await symlink(outputDevice(local.work), join(local.work, 'null.zip'));
    const before = await readdir(local.work);
    expectRefused(
      await cli(['package', revision, '--out', fifo]),
      /is a named pipe \(FIFO\), not a regular file/,
    );
    expectRefused(
      await cli(['package', revision, '--out', join(local.work, 'sock.zip')]),
      /sock\.zip is a socket, not a regular file/,
    );
    const folder = await cli(['package', revision, '--out', join(local.work, 'out')]);
    expectRefused(folder, `the bundle ${join(local.work, 'out')} is a folder, not a regular file`);
    expect(folder.stderr).toContain(
      `hint: Name the file to write inside the folder (${join(local.work, 'out', 'NAME')})`,
    );
    expectRefused(
      await cli(['package', revision, '--out', join(local.work, 'null.zip')]),
      /null\.zip \(a link to .*null-device\) is a character device/,
    );
    expect(identity(fifo).kind).toBe('fifo');
    expect((await lstat(join(local.work, 'null.zip'))).isSymbolicLink()).toBe(true);
    expect(await readdir(local.work)).toEqual(before);
    expect(await readdir(join(local.work, 'out'))).toEqual([]);
  });

  it('refuses --out inside the revision folder on the first run, writing nothing', async () => {
    const revision = await local.revision();
    const before = await readdir(revision);
    const run = await cli(['package', revision, '--out', join(revision, 'bundle.zip')]);
    expectRefused(
      run,
      `The bundle ${join(revision, 'bundle.zip')} is inside the revision folder ${revision}`,
    );
    expect(await readdir(revision)).toEqual(before);
  });
});

describe('validate hostile-input: a single path is read only when it is a regular file, bounded', () => {
  it('refuses a named pipe instead of waiting for a writer forever', async () => {
    const fifo = makeFifo(join(local.work, 'appspec.yml'));
    expectRefused(
      await cli(['validate', fifo]),
      `the appspec ${fifo} is a named pipe (FIFO), not a regular file`,
    );
  });

  it('refuses /dev/zero without reading it (run with its memory capped, in case that ever regresses)', async () => {
    const run = await cli(['validate', '/dev/zero'], { memoryLimitKiB: 3 * 1024 * 1024 });
    expectRefused(run, 'the appspec /dev/zero is a character device, not a regular file');
  });

  it('refuses an appspec over 16 MiB', async () => {
    const big = await sparseFile(join(local.work, 'appspec.yml'), 17 * MiB);
    expectRefused(
      await cli(['validate', big]),
      `the appspec ${big} is ${17 * MiB} bytes, more than the 16 MiB limit`,
    );
  });
});

describe('deploy hostile-input: invalid input is exit 2 before any AWS request', () => {
  it('refuses the missing folder of the issue, exit 2 where it used to call AWS and exit 4', async () => {
    const missing = join(local.work, 'no-such-app');
    expectRefused(
      await cli([
        'deploy',
        missing,
        '--application',
        'a',
        '--deployment-group',
        'g',
        '--s3-location',
        's3://b/p',
      ]),
      `Cannot read the revision folder ${missing}`,
    );
    expectRefused(
      await cli(deployTo(missing, '--s3-location', s3Location())),
      `Cannot read the revision folder ${missing}`,
    );
  });

  it('refuses a folder whose appspec names a missing script, listing the problem', async () => {
    const revision = await local.revision();
    const appspec = join(revision, 'appspec.yml');
    await writeFile(
      appspec,
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/missing.sh\n',
    );
    const run = await cli(deployTo(revision, '--s3-location', s3Location()));
    expectRefused(run, /appspec\.yml is not a valid appspec: 1 error/);
    expect(run.stderr).toContain(
      'appspec.yml:5:17 error hooks.ApplicationStart[0].location: Hook script "scripts/missing.sh" is not in the revision.',
    );
  });

  it.each([
    ['a device', (dir: string) => outputDevice(dir), /is a character device, not a regular file/],
    [
      'a folder',
      async (dir: string) => {
        await mkdir(join(dir, 'reports'));
        return join(dir, 'reports');
      },
      /is a folder/,
    ],
    ['a named pipe', (dir: string) => makeFifo(join(dir, 'report.json')), /is a named pipe \(FIFO\)/],
  ])(
    'refuses a --report-json that is %s before deploying, leaving it as it was',
    async (_name, make, message) => {
      const revision = await local.revision();
      const report = await make(local.work);
      const kind = identity(report).kind;
      const run = await cli(deployTo(revision, '--s3-location', s3Location(), '--report-json', report));
      expectRefused(run, new RegExp(`error: --report-json ${report}.*${message.source}`));
      expect(identity(report).kind).toBe(kind);
      expect(await deploymentIds(local, fleet)).toEqual([]);
    },
  );

  it('refuses two reports written to one file', async () => {
    const file = join(local.work, 'report.out');
    const run = await cli(
      deployTo(
        await local.revision(),
        '--s3-location',
        s3Location(),
        '--report-json',
        file,
        '--report-junit',
        file,
      ),
    );
    expectRefused(run, `--report-json and --report-junit are the same file, ${file}; nothing was created`);
  });

  it('refuses an AppSpec file that is a pipe, or an EC2 appspec sent as AppSpecContent', async () => {
    const fifo = makeFifo(join(local.work, 'appspec.yaml'));
    expectRefused(
      await cli(deployTo('--appspec-content', fifo)),
      `the AppSpec file ${fifo} is a named pipe (FIFO)`,
    );
    const server = join(local.work, 'server.yml');
    await writeFile(server, 'version: 0.0\nos: linux\n');
    expectRefused(
      await cli(deployTo('--appspec-content', server)),
      /names no AWS::Lambda::Function or AWS::ECS::Service under Resources/,
    );
  });

  it('refuses a Lambda code package that is not a zip, and a task definition over 16 MiB', async () => {
    const zip = join(local.work, 'code.zip');
    await writeFile(zip, 'not a zip');
    expectRefused(
      await cli(deployTo('--lambda-function', 'checkout', '--lambda-alias', 'live', '--lambda-zip', zip)),
      `${zip} is not a zip archive`,
    );
    const taskdef = await sparseFile(join(local.work, 'taskdef.json'), 17 * MiB);
    expectRefused(
      await cli(deployTo('--ecs-task-definition', taskdef)),
      /--ecs-task-definition is not a task definition to register: the task definition file .* more than the 16 MiB limit/,
    );
  });

  it('refuses an S3 bundle without a key and contradicting flags', async () => {
    expectRefused(
      await cli(deployTo('--s3-location', `s3://${fleet.bucket}`)),
      /names a bucket but no object/,
    );
    expectRefused(
      await cli(
        deployTo(
          '--s3-location',
          `s3://${fleet.bucket}/a.zip`,
          '--auto-rollback',
          'disabled',
          '--auto-rollback',
          'on-failure',
        ),
      ),
      /--auto-rollback disabled cannot be combined with other events/,
    );
  });

  it('sends its requests once the input is valid (the proxy sees them)', async () => {
    const revision = await local.revision();
    const report = join(local.work, 'reports', 'report.json');
    const run = await cli(
      deployTo(revision, '--s3-location', s3Location(), '--no-wait', '--report-json', report),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(proxy.requests).toContain('CodeDeploy_20141006.GetApplication');
    expect(proxy.requests).toContain('CodeDeploy_20141006.CreateDeployment');
  });
});

describe('push, wait, status, stop and local run hostile-input: exit 2 before any request', () => {
  it('push refuses a missing folder and an invalid appspec', async () => {
    const push = (dir: string) =>
      cli(['push', dir, '--application', fleet.application, '--s3-location', s3Location()]);
    expectRefused(await push(join(local.work, 'gone')), /Cannot read the revision folder .*gone/);
    const revision = await local.revision();
    await writeFile(join(revision, 'appspec.yml'), 'version: 0.0\nos: plan9\n');
    expectRefused(await push(revision), /appspec\.yml is not a valid appspec/);
  });

  it('wait refuses a report path that is a device, and status and stop a malformed id', async () => {
    const device = outputDevice(local.work);
    expectRefused(
      await cli(['wait', 'd-ABCDEFGHI', '--report-markdown', device]),
      `--report-markdown ${device} is a character device, not a regular file`,
    );
    expectRefused(await cli(['wait', 'not-an-id']), 'wait: "not-an-id" is not a deployment id');
    expectRefused(await cli(['status', 'nope']), 'status: "nope" is not a deployment id');
    expectRefused(await cli(['stop', '--rollback', 'nope']), 'stop: "nope" is not a deployment id');
  });

  it('local run refuses a report path that is a pipe before starting anything', async () => {
    const fifo = makeFifo(join(local.work, 'junit.xml'));
    const run = await cli(['local', 'run', await local.revision(), '--report-junit', fifo]);
    expectRefused(run, `--report-junit ${fifo} is a named pipe (FIFO), not a regular file`);
    expect(run.stdout).not.toMatch(/local CodeDeploy on/);
  });
});
