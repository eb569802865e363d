import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createBundle } from '@codedeploy-gate/core';
import { FAKE_S3_CREDENTIALS, type S3TestServer, startS3Server } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createLocalAgent, type LifecycleRequest } from './index.js';

const BUCKET = 'revisions';
const hasGit = spawnSync('sh', ['-c', 'command -v git']).status === 0;

let work: string;
let s3: S3TestServer;
let client: S3Client;
let agent: Agent;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'local-agent-'));
  s3 = await startS3Server({ buckets: [BUCKET] });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: FAKE_S3_CREDENTIALS,
  });
  agent = createLocalAgent({ endpoint: s3.endpoint, githubDir: join(work, 'github'), killGraceMs: 300 });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

type Files = Record<string, string | { content: string; mode: number }>;

/** Writes a revision folder; string values are files, `#!` files are made executable. */
async function revisionDir(files: Files): Promise<string> {
  const dir = join(work, `rev-${++counter}`);
  for (const [path, spec] of Object.entries(files)) {
    const { content, mode } =
      typeof spec === 'string' ? { content: spec, mode: spec.startsWith('#!') ? 0o755 : 0o644 } : spec;
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
    await chmod(join(dir, path), mode);
  }
  return dir;
}

/** Bundles a folder and uploads it; the revision carries the real ETag. */
async function pushRevision(dir: string, format: 'zip' | 'tgz' | 'tar' = 'tgz'): Promise<RevisionLocation> {
  const file = join(work, `bundle-${++counter}.${format}`);
  await createBundle(dir, file, { format });
  const key = `app/${counter}.${format}`;
  const put = await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await readFile(file) }),
  );
  return {
    revisionType: 'S3',
    s3Location: { bucket: BUCKET, key, bundleType: format, eTag: put.ETag?.replaceAll('"', '') },
  };
}

function newInstance() {
  return { name: `instance-${++counter}`, root: join(work, `instance-${counter}`) };
}

function request(
  event: string,
  over: Partial<LifecycleRequest> & Pick<LifecycleRequest, 'revision' | 'instance'>,
): LifecycleRequest {
  return {
    event,
    deploymentId: 'd-AAAAAAAAA',
    applicationName: 'app',
    deploymentGroupName: 'group',
    deploymentGroupId: 'g-1111',
    fileExistsBehavior: 'DISALLOW',
    lastSuccessfulDeploymentId: undefined,
    signal: new AbortController().signal,
    ...over,
  };
}

/** Runs events in order, stopping at the first that does not succeed. */
async function runEvents(events: string[], base: Parameters<typeof request>[1]) {
  let last = await agent.run(request(events[0]!, base));
  for (const event of events.slice(1)) {
    if (last.status !== 'Succeeded') break;
    last = await agent.run(request(event, base));
  }
  return last;
}

const archiveOf = (instance: { root: string }, deploymentId = 'd-AAAAAAAAA') =>
  join(instance.root, 'codedeploy', 'g-1111', deploymentId, 'deployment-archive');

const APPSPEC = 'version: 0.0\nos: linux\n';

describe('DownloadBundle', () => {
  for (const format of ['tgz', 'zip'] as const) {
    it(`downloads a ${format} revision from S3 and unpacks it into deployment-archive with its modes`, async () => {
      const dir = await revisionDir({ 'appspec.yml': APPSPEC, 'scripts/start.sh': '#!/bin/sh\necho hi\n' });
      const instance = newInstance();
      const result = await agent.run(
        request('DownloadBundle', { revision: await pushRevision(dir, format), instance }),
      );
      expect(result).toEqual({
        status: 'Succeeded',
        diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' },
      });
      expect(await readFile(join(archiveOf(instance), 'appspec.yml'), 'utf8')).toBe(APPSPEC);
      expect((await stat(join(archiveOf(instance), 'scripts/start.sh'))).mode & 0o777).toBe(0o755);
      expect((await stat(join(instance.root, 'codedeploy/g-1111/d-AAAAAAAAA/bundle.tar'))).isFile()).toBe(
        true,
      );
    });
  }

  it('strips a single top-level folder that holds the appspec', async () => {
    const dir = await revisionDir({ 'myapp/appspec.yml': APPSPEC, 'myapp/index.html': 'hello' });
    const instance = newInstance();
    const result = await agent.run(
      request('DownloadBundle', { revision: await pushRevision(dir, 'tar'), instance }),
    );
    expect(result.status).toBe('Succeeded');
    expect(await readFile(join(archiveOf(instance), 'index.html'), 'utf8')).toBe('hello');
  });

  it("fails with UnknownError and the agent's message when the ETag does not match", async () => {
    const revision = await pushRevision(await revisionDir({ 'appspec.yml': APPSPEC }));
    const actual = revision.s3Location?.eTag;
    revision.s3Location = { ...revision.s3Location, eTag: '0123456789abcdef' };
    const result = await agent.run(request('DownloadBundle', { revision, instance: newInstance() }));
    expect(result.status).toBe('Failed');
    expect(result.diagnostics.errorCode).toBe('UnknownError');
    expect(result.diagnostics.message).toBe(
      `Expected deployment artifact bundle etag 0123456789abcdef but was actually "${actual}"`,
    );
  });

  it.skipIf(!hasGit)(
    'downloads a GitHub revision from a local git repository at the given commit',
    async () => {
      const repo = join(work, 'github', 'octo', 'site');
      await mkdir(repo, { recursive: true });
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          encoding: 'utf8',
        }).trim();
      git('init', '-q');
      await writeFile(join(repo, 'appspec.yml'), APPSPEC);
      await writeFile(join(repo, 'page.html'), 'v1');
      git('add', '.');
      git('commit', '-q', '-m', 'v1');
      const commitId = git('rev-parse', 'HEAD');
      await writeFile(join(repo, 'page.html'), 'v2');
      git('commit', '-q', '-am', 'v2');
      const instance = newInstance();
      const revision: RevisionLocation = {
        revisionType: 'GitHub',
        gitHubLocation: { repository: 'octo/site', commitId },
      };
      const result = await agent.run(request('DownloadBundle', { revision, instance }));
      expect(result.status).toBe('Succeeded');
      expect(await readFile(join(archiveOf(instance), 'page.html'), 'utf8')).toBe('v1');
    },
  );
});

describe('Install', () => {
  const appspecWith = (extra = '') =>
    `${APPSPEC}files:\n  - source: site\n    destination: /srv/app\n  - source: config/app.conf\n    destination: /etc/app\n${extra}`;

  async function deploy(
    instance: ReturnType<typeof newInstance>,
    files: Files,
    over: Partial<LifecycleRequest> = {},
  ) {
    const revision = await pushRevision(await revisionDir(files));
    return runEvents(['DownloadBundle', 'Install'], { revision, instance, ...over });
  }

  it('copies files under the instance folder, keeping modes, and writes the instructions', async () => {
    const instance = newInstance();
    const result = await deploy(instance, {
      'appspec.yml': appspecWith(),
      'site/index.html': 'v1',
      'site/bin/run': '#!/bin/sh\n',
      'config/app.conf': 'conf',
    });
    expect(result.status).toBe('Succeeded');
    expect(await readFile(join(instance.root, 'fs/srv/app/index.html'), 'utf8')).toBe('v1');
    expect((await stat(join(instance.root, 'fs/srv/app/bin/run'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(instance.root, 'fs/etc/app/app.conf'), 'utf8')).toBe('conf');
    const instructions = join(instance.root, 'codedeploy/deployment-instructions');
    expect(await readFile(join(instructions, 'g-1111-cleanup'), 'utf8')).toContain('/srv/app/index.html\n');
    expect(await readFile(join(instructions, 'g-1111_last_successful_install'), 'utf8')).toBe(
      join(instance.root, 'codedeploy/g-1111/d-AAAAAAAAA'),
    );
  });

  it('fails on an existing file with DISALLOW, overwrites with OVERWRITE, keeps it with RETAIN', async () => {
    const files = { 'appspec.yml': appspecWith(), 'site/index.html': 'new', 'config/app.conf': 'conf' };
    const disallowed = newInstance();
    await mkdir(join(disallowed.root, 'fs/srv/app'), { recursive: true });
    await writeFile(join(disallowed.root, 'fs/srv/app/index.html'), 'old');
    const failure = await deploy(disallowed, files);
    expect(failure.status).toBe('Failed');
    expect(failure.diagnostics).toMatchObject({
      errorCode: 'UnknownError',
      message:
        'The deployment failed because a specified file already exists at this location: /srv/app/index.html',
    });

    const overwritten = newInstance();
    await mkdir(join(overwritten.root, 'fs/srv/app'), { recursive: true });
    await writeFile(join(overwritten.root, 'fs/srv/app/index.html'), 'old');
    expect((await deploy(overwritten, files, { fileExistsBehavior: 'OVERWRITE' })).status).toBe('Succeeded');
    expect(await readFile(join(overwritten.root, 'fs/srv/app/index.html'), 'utf8')).toBe('new');

    // The appspec's own value wins over the deployment's.
    const retained = newInstance();
    await mkdir(join(retained.root, 'fs/srv/app'), { recursive: true });
    await writeFile(join(retained.root, 'fs/srv/app/index.html'), 'old');
    const retainFiles = { ...files, 'appspec.yml': appspecWith('file_exists_behavior: RETAIN\n') };
    expect((await deploy(retained, retainFiles, { fileExistsBehavior: 'DISALLOW' })).status).toBe(
      'Succeeded',
    );
    expect(await readFile(join(retained.root, 'fs/srv/app/index.html'), 'utf8')).toBe('old');
  });

  it("removes the previous revision's files of the group before installing the next one", async () => {
    const instance = newInstance();
    const first = await deploy(instance, {
      'appspec.yml': appspecWith(),
      'site/old.html': 'old',
      'site/keep/a.txt': 'a',
      'config/app.conf': 'conf',
    });
    expect(first.status).toBe('Succeeded');
    const second = await deploy(
      instance,
      { 'appspec.yml': appspecWith(), 'site/new.html': 'new', 'config/app.conf': 'conf2' },
      { deploymentId: 'd-BBBBBBBBB' },
    );
    expect(second.status).toBe('Succeeded');
    await expect(stat(join(instance.root, 'fs/srv/app/old.html'))).rejects.toThrow();
    await expect(stat(join(instance.root, 'fs/srv/app/keep'))).rejects.toThrow();
    expect(await readFile(join(instance.root, 'fs/srv/app/new.html'), 'utf8')).toBe('new');
    expect(await readFile(join(instance.root, 'fs/etc/app/app.conf'), 'utf8')).toBe('conf2');
  });

  it('applies permission modes to the matching files below the object', async () => {
    const instance = newInstance();
    const permissions =
      'permissions:\n  - object: /srv/app\n    pattern: "*.sh"\n    except: ["skip.sh"]\n    mode: 700\n    type: [file]\n';
    const result = await deploy(instance, {
      'appspec.yml': appspecWith(permissions),
      'site/run.sh': 'echo',
      'site/skip.sh': 'echo',
      'site/page.html': 'x',
      'site/sub/deep.sh': 'echo',
      'config/app.conf': 'conf',
    });
    expect(result.status).toBe('Succeeded');
    const mode = async (path: string) => (await stat(join(instance.root, 'fs/srv/app', path))).mode & 0o777;
    expect(await mode('run.sh')).toBe(0o700);
    expect(await mode('skip.sh')).toBe(0o644);
    expect(await mode('page.html')).toBe(0o644);
    expect(await mode('sub/deep.sh')).toBe(0o644);
  });
});

describe('script hooks', () => {
  const hookAppspec = (event: string, location: string, timeout = 10) =>
    `${APPSPEC}hooks:\n  ${event}:\n    - location: ${location}\n      timeout: ${timeout}\n`;

  async function downloaded(files: Files, over: Partial<LifecycleRequest> = {}) {
    const instance = newInstance();
    const revision = await pushRevision(await revisionDir(files));
    const base = { revision, instance, ...over };
    expect((await agent.run(request('DownloadBundle', base))).status).toBe('Succeeded');
    return base;
  }

  it('runs a script with the agent environment and logs its output to scripts.log', async () => {
    const base = await downloaded({
      'appspec.yml': hookAppspec('AfterInstall', 'hooks/env.sh'),
      'hooks/env.sh':
        '#!/bin/sh\nenv > "$CODEDEPLOY_GATE_INSTANCE_ROOT/../env.txt"\necho done\necho warn >&2\n',
    });
    const result = await agent.run(request('AfterInstall', base));
    expect(result.status).toBe('Succeeded');
    expect(result.diagnostics).toEqual({
      errorCode: 'Success',
      scriptName: '',
      message: 'Succeeded',
      logTail: expect.stringContaining('[stdout]done\n'),
    });
    const env = await readFile(join(base.instance.root, 'env.txt'), 'utf8');
    for (const line of [
      'LIFECYCLE_EVENT=AfterInstall',
      'DEPLOYMENT_ID=d-AAAAAAAAA',
      'APPLICATION_NAME=app',
      'DEPLOYMENT_GROUP_NAME=group',
      'DEPLOYMENT_GROUP_ID=g-1111',
      `BUNDLE_BUCKET=${BUCKET}`,
      `BUNDLE_KEY=${base.revision.s3Location?.key}`,
      `BUNDLE_ETAG=${base.revision.s3Location?.eTag}`,
      `CODEDEPLOY_GATE_INSTANCE_ROOT=${join(base.instance.root, 'fs')}`,
      `CODEDEPLOY_GATE_INSTANCE_NAME=${base.instance.name}`,
    ]) {
      expect(env).toContain(`${line}\n`);
    }
    const log = await readFile(
      join(base.instance.root, 'codedeploy/g-1111/d-AAAAAAAAA/logs/scripts.log'),
      'utf8',
    );
    expect(log).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d LifecycleEvent - AfterInstall\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Script - hooks\/env.sh\n/,
    );
    expect(log).toMatch(/ \[stdout\]done\n/);
    expect(log).toMatch(/ \[stderr\]warn\n/);
  });

  it('fails with ScriptFailed, the exit code and the most recent whole lines within 2048 characters', async () => {
    const base = await downloaded({
      'appspec.yml': hookAppspec('ApplicationStart', 'fail.sh'),
      'fail.sh': '#!/bin/sh\ni=0\nwhile [ $i -lt 200 ]; do echo "line $i"; i=$((i+1)); done\nexit 3\n',
    });
    const result = await agent.run(request('ApplicationStart', base));
    expect(result.status).toBe('Failed');
    expect(result.diagnostics).toMatchObject({
      errorCode: 'ScriptFailed',
      scriptName: 'fail.sh',
      message: 'Script at specified location: fail.sh failed with exit code 3',
    });
    const tail = result.diagnostics.logTail ?? '';
    expect(tail.length).toBeLessThanOrEqual(2048);
    expect(tail.length).toBeGreaterThan(2000);
    expect(tail.startsWith('[stdout]line ')).toBe(true);
    expect(tail.endsWith('[stdout]line 199\n')).toBe(true);
  });

  it('kills the whole process group when the timeout expires (ScriptTimedOut)', async () => {
    const base = await downloaded({
      'appspec.yml': hookAppspec('ApplicationStart', 'slow.sh', 1),
      'slow.sh': '#!/bin/sh\nsleep 30 &\necho $! > "$CODEDEPLOY_GATE_INSTANCE_ROOT/../child.pid"\nsleep 30\n',
    });
    const started = Date.now();
    const result = await agent.run(request('ApplicationStart', base));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.diagnostics).toMatchObject({
      errorCode: 'ScriptTimedOut',
      message: 'Script at specified location: slow.sh failed to complete in 1 seconds',
    });
    const childPid = Number((await readFile(join(base.instance.root, 'child.pid'), 'utf8')).trim());
    // Gone, or a zombie waiting for a reaper this container may not have.
    const state = await readFile(`/proc/${childPid}/stat`, 'utf8').catch(() => 'gone');
    expect(state === 'gone' || state.split(') ')[1]?.startsWith('Z')).toBe(true);
  });

  it('fails with ScriptMissing naming the absolute path', async () => {
    const base = await downloaded({ 'appspec.yml': hookAppspec('BeforeInstall', 'scripts/nope.sh') });
    const result = await agent.run(request('BeforeInstall', base));
    expect(result.diagnostics).toMatchObject({
      errorCode: 'ScriptMissing',
      scriptName: 'scripts/nope.sh',
      message: `Script does not exist at specified location: ${join(archiveOf(base.instance), 'scripts/nope.sh')}`,
    });
  });

  it('makes a non-executable script executable and runs it', async () => {
    const base = await downloaded({
      'appspec.yml': hookAppspec('ValidateService', 'check.sh'),
      'check.sh': { content: '#!/bin/sh\necho validated\n', mode: 0o644 },
    });
    const result = await agent.run(request('ValidateService', base));
    expect(result.status).toBe('Succeeded');
    expect(result.diagnostics.logTail).toContain('[stdout]validated\n');
    expect((await stat(join(archiveOf(base.instance), 'check.sh'))).mode & 0o111).not.toBe(0);
  });

  it('runs ApplicationStop from the last successful deployment, and not at all on a first deployment', async () => {
    const instance = newInstance();
    const appspec = hookAppspec('ApplicationStop', 'stop.sh');
    const stop = (marker: string) =>
      `#!/bin/sh\necho ${marker} >> "$CODEDEPLOY_GATE_INSTANCE_ROOT/../stops"\n`;
    const first = {
      revision: await pushRevision(await revisionDir({ 'appspec.yml': appspec, 'stop.sh': stop('v1') })),
      instance,
    };
    const firstStop = await agent.run(request('ApplicationStop', first));
    expect(firstStop.status).toBe('Succeeded');
    expect(firstStop.diagnostics.logTail).toBe('');
    expect((await runEvents(['DownloadBundle', 'Install'], first)).status).toBe('Succeeded');

    const second = {
      revision: await pushRevision(await revisionDir({ 'appspec.yml': appspec, 'stop.sh': stop('v2') })),
      instance,
      deploymentId: 'd-BBBBBBBBB',
      lastSuccessfulDeploymentId: 'd-AAAAAAAAA',
    };
    const secondStop = await agent.run(request('ApplicationStop', second));
    expect(secondStop.status).toBe('Succeeded');
    expect(await readFile(join(instance.root, 'stops'), 'utf8')).toBe('v1\n');
    expect(
      await readFile(join(instance.root, 'codedeploy/g-1111/d-AAAAAAAAA/logs/scripts.log'), 'utf8'),
    ).toContain('LifecycleEvent - ApplicationStop\n');
  });

  it('kills the script and reports the stop when the signal is aborted', async () => {
    const base = await downloaded({
      'appspec.yml': hookAppspec('AfterInstall', 'long.sh', 60),
      'long.sh': '#!/bin/sh\necho started\nsleep 30\n',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await agent.run(request('AfterInstall', { ...base, signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.diagnostics).toMatchObject({
      errorCode: 'UnknownError',
      message: 'Deployment was stopped',
    });
  });

  it('treats service-side events as no-ops and reports an unparseable appspec', async () => {
    const base = await downloaded({ 'appspec.yml': 'version: 0.0\nos: [linux\n' });
    expect((await agent.run(request('BlockTraffic', base))).status).toBe('Succeeded');
    const result = await agent.run(request('BeforeInstall', base));
    expect(result.status).toBe('Failed');
    expect(result.diagnostics.errorCode).toBe('UnknownError');
    expect(result.diagnostics.message).toMatch(
      /^The application specification file appspec.yml in the revision is invalid: /,
    );
  });
});
