import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  GetApplicationRevisionCommand,
  ListApplicationRevisionsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { openBundle } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

const SECRET = 'wJalrXUtnFEMI-do-not-print-me';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

// Push runs against the local CodeDeploy: S3 and CodeDeploy on one port, read back with the real SDK.
let local: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let s3: S3Client;
let env: NodeJS.ProcessEnv;
let work: string;

beforeEach(async () => {
  local = await startLocalCodeDeploy();
  codeDeploy = new CodeDeployClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  s3 = new S3Client({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'deploys' }));
  await codeDeploy.send(new CreateApplicationCommand({ applicationName: 'sample-app' }));
  env = {
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  };
  work = await mkdtemp(join(tmpdir(), 'cli-push-'));
  // The content-hash cache of these pushes, away from the user's.
  env.XDG_CACHE_HOME = join(work, 'cache');
});
afterEach(async () => {
  codeDeploy.destroy();
  s3.destroy();
  await Promise.all([local.close(), rm(work, { recursive: true, force: true })]);
});

const allObjects = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: 'deploys' }))).Contents ?? []).map((o) => o.Key);
/** The bundles, without the fingerprint pointers push records beside them. */
const objects = async () => (await allObjects()).filter((key) => !key?.includes('fingerprints/'));
const revisions = async (applicationName = 'sample-app') =>
  (await codeDeploy.send(new ListApplicationRevisionsCommand({ applicationName }))).revisions ?? [];
const pushArgs = (dir = join(EXAMPLES, 'sample-app'), location = 's3://deploys/apps') => [
  'push',
  dir,
  '--application',
  'sample-app',
  '--s3-location',
  location,
];

describe('codedeploy-gate push', () => {
  it('uploads to a content-addressed key and registers exactly that revision', async () => {
    const run = await runCli([...pushArgs(), '--json'], { env });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      uploaded: true,
      bucket: 'deploys',
      bundleType: 'zip',
      application: 'sample-app',
    });
    expect(result.key).toBe(`apps/sample-app-${result.sha256}.zip`);
    expect(await objects()).toEqual([result.key]);
    expect(await allObjects()).toContain(`apps/fingerprints/sample-app-${result.fingerprint}`);
    const s3Location = { bucket: 'deploys', key: result.key, bundleType: 'zip' as const, eTag: result.eTag };
    expect(await revisions()).toEqual([{ revisionType: 'S3', s3Location }]);
    const registered = await codeDeploy.send(
      new GetApplicationRevisionCommand({
        applicationName: 'sample-app',
        revision: { revisionType: 'S3', s3Location },
      }),
    );
    expect(registered.revisionInfo?.description).toMatch(/Pushed by codedeploy-gate from sample-app/);
  });

  it('does not upload an unchanged revision again, and says so', async () => {
    const first = JSON.parse((await runCli([...pushArgs(), '--json'], { env })).stdout);
    const before = await s3.send(new HeadObjectCommand({ Bucket: 'deploys', Key: first.key }));
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has one-second resolution
    const second = await runCli(pushArgs(), { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/files unchanged, bundle not rebuilt/);
    expect(second.stdout).toMatch(/already in S3 with this fingerprint, not uploaded again/);
    const after = await s3.send(new HeadObjectCommand({ Bucket: 'deploys', Key: first.key }));
    expect(after.LastModified).toEqual(before.LastModified);
    expect(await objects()).toEqual([first.key]);
    expect(JSON.parse((await runCli([...pushArgs(), '--json'], { env })).stdout).uploaded).toBe(false);
    expect(await revisions()).toHaveLength(1);
  });

  it('fingerprints an unchanged revision from the content-hash cache, and reads every file with --no-cache', async () => {
    const pushJson = async (...extra: string[]) => {
      const run = await runCli([...pushArgs(), '--json', ...extra], { env });
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout);
    };
    const first = await pushJson();
    expect(first.filesHashed).toBe(first.files);
    expect(await readdir(join(work, 'cache', 'codedeploy-gate', 'content-hashes'))).toHaveLength(1);

    expect(await pushJson()).toMatchObject({
      bundled: false,
      uploaded: false,
      filesHashed: 0,
      sha256: first.sha256,
    });
    expect(await pushJson('--no-cache')).toMatchObject({
      bundled: false,
      filesHashed: first.files,
      sha256: first.sha256,
    });
    env.XDG_CACHE_HOME = join(work, 'unused-cache');
    await pushJson('--no-cache');
    await expect(readdir(env.XDG_CACHE_HOME)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('builds and uploads an unchanged revision again with --force-upload', async () => {
    const first = JSON.parse((await runCli([...pushArgs(), '--json'], { env })).stdout);
    const before = await s3.send(new HeadObjectCommand({ Bucket: 'deploys', Key: first.key }));
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has one-second resolution
    const forced = await runCli([...pushArgs(), '--force-upload', '--json'], { env });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ uploaded: true, bundled: true, key: first.key });
    const after = await s3.send(new HeadObjectCommand({ Bucket: 'deploys', Key: first.key }));
    expect(after.LastModified).not.toEqual(before.LastModified);
  });

  it('uploads a changed revision under a new key', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    const first = JSON.parse((await runCli([...pushArgs(app, 's3://deploys'), '--json'], { env })).stdout);
    await writeFile(join(app, 'app', 'VERSION'), '2\n');
    const second = JSON.parse((await runCli([...pushArgs(app, 's3://deploys'), '--json'], { env })).stdout);
    expect(second.uploaded).toBe(true);
    expect(second.key).not.toBe(first.key);
    expect(second.key).toBe(`sample-app-${second.sha256}.zip`);
    expect(await revisions()).toHaveLength(2);
  });

  it('exits 2 and uploads nothing when the application does not exist', async () => {
    const run = await runCli(
      ['push', join(EXAMPLES, 'sample-app'), '--application', 'nope', '--s3-location', 's3://deploys/apps'],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CodeDeploy application "nope" does not exist/);
    expect(run.stderr).toMatch(/hint: Create it first/);
    expect(await objects()).toEqual([]);
  });

  it('exits 2 and uploads nothing for an invalid revision', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await writeFile(
      join(app, 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  Install:\n    - location: scripts/start.sh\n',
    );
    const run = await runCli(pushArgs(app), { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/appspec\.yml:4:3 error hooks\.Install/);
    expect(await objects()).toEqual([]);
    expect(await revisions()).toEqual([]);
  });

  it('exits 2 on a malformed --s3-location before touching AWS', async () => {
    // Every request would now fail (exit 4); exit 2 proves none was made.
    local.setFaults([{ operation: '*', drop: 1 }]);
    const run = await runCli(pushArgs(join(EXAMPLES, 'sample-app'), 'deploys/apps'), { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/s3:\/\/BUCKET\/PREFIX/);
    local.setFaults([]);
  });

  it('exits 4 with the bucket named and a hint when the bucket does not exist', async () => {
    const run = await runCli(pushArgs(join(EXAMPLES, 'sample-app'), 's3://missing-bucket/x'), { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/missing-bucket/);
    expect(run.stderr).toMatch(/NoSuchBucket/);
    expect(run.stderr).toMatch(/hint: /);
    expect(await revisions()).toEqual([]);
  });

  it('exits 4 when the endpoint is unreachable, without printing the secret key', async () => {
    const endpoint = local.endpoint;
    await local.close();
    local = await startLocalCodeDeploy(); // for afterEach; the CLI still points at the closed port
    const run = await runCli([...pushArgs(), '--debug'], {
      env: { ...env, AWS_ENDPOINT_URL: endpoint, AWS_SECRET_ACCESS_KEY: SECRET, AWS_MAX_ATTEMPTS: '1' },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
  });

  it('requires --application and --s3-location', async () => {
    const run = await runCli(['push', join(EXAMPLES, 'sample-app'), '--s3-location', 's3://deploys/apps'], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--application is required/);
  });

  it('uploads no .env or .git/ from the folder and prints what it skipped (security)', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await writeFile(join(app, '.env'), 'DATABASE_PASSWORD=hunter2\n');
    await mkdir(join(app, '.git'));
    await writeFile(
      join(app, '.git', 'config'),
      '[remote "origin"]\n\turl = https://user:hunter2@example.com/r\n',
    );
    const run = await runCli(pushArgs(app), { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'note: skipped 2 paths by the default secret-safe ignore list (.env, .git/); `!PATTERN` in .codedeployignore includes one',
    );
    const [key] = await objects();
    const body = await s3.send(new GetObjectCommand({ Bucket: 'deploys', Key: key }));
    const file = join(work, 'pushed.zip');
    await writeFile(file, await body.Body!.transformToByteArray());
    const bundle = await openBundle(file);
    const paths = bundle.entries.map((e) => e.path);
    await bundle.close();
    expect(paths).toContain('appspec.yml');
    expect(paths.filter((p) => p === '.env' || p.startsWith('.git'))).toEqual([]);
  });
});
