import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeployStub,
  type S3TestServer,
  startCodeDeployStub,
  startS3Server,
} from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

const SECRET = 'wJalrXUtnFEMI-do-not-print-me';

let s3: S3TestServer;
let codeDeploy: CodeDeployStub;
let env: NodeJS.ProcessEnv;
let work: string;

beforeEach(async () => {
  s3 = await startS3Server({ buckets: ['deploys'] });
  codeDeploy = await startCodeDeployStub({ applications: ['sample-app'] });
  env = { ...codeDeploy.env, ...s3.env };
  work = await mkdtemp(join(tmpdir(), 'cli-push-'));
});
afterEach(async () => {
  await Promise.all([s3.close(), codeDeploy.close(), rm(work, { recursive: true, force: true })]);
});

const uploads = () => s3.requests.filter((r) => r.method === 'PUT' || r.method === 'POST');
const registrations = () => codeDeploy.requests.filter((r) => r.operation === 'RegisterApplicationRevision');

describe('codedeploy-gate push', () => {
  it('uploads to a content-addressed key and registers exactly that revision', async () => {
    const run = await runCli(
      [
        'push',
        join(EXAMPLES, 'sample-app'),
        '--application',
        'sample-app',
        '--s3-location',
        's3://deploys/apps',
        '--json',
      ],
      { env },
    );
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
    expect(registrations()).toHaveLength(1);
    expect(registrations()[0]?.body).toMatchObject({
      applicationName: 'sample-app',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: 'deploys', key: result.key, bundleType: 'zip', eTag: result.eTag },
      },
    });
  });

  it('does not upload an unchanged revision again, and says so', async () => {
    const args = [
      'push',
      join(EXAMPLES, 'sample-app'),
      '--application',
      'sample-app',
      '--s3-location',
      's3://deploys/apps',
    ];
    expect((await runCli(args, { env })).code).toBe(0);
    const putsAfterFirst = uploads().length;
    const second = await runCli(args, { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already in S3 with this sha256, not uploaded again/);
    expect(uploads()).toHaveLength(putsAfterFirst);
    expect(registrations()).toHaveLength(2);
    const json = await runCli([...args, '--json'], { env });
    expect(JSON.parse(json.stdout).uploaded).toBe(false);
  });

  it('uploads a changed revision under a new key', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    const args = ['push', app, '--application', 'sample-app', '--s3-location', 's3://deploys', '--json'];
    const first = JSON.parse((await runCli(args, { env })).stdout);
    await writeFile(join(app, 'app', 'VERSION'), '2\n');
    const second = JSON.parse((await runCli(args, { env })).stdout);
    expect(second.uploaded).toBe(true);
    expect(second.key).not.toBe(first.key);
    expect(second.key).toBe(`sample-app-${second.sha256}.zip`);
  });

  it('exits 2 and uploads nothing when the application does not exist', async () => {
    const run = await runCli(
      ['push', join(EXAMPLES, 'sample-app'), '--application', 'nope', '--s3-location', 's3://deploys/apps'],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CodeDeploy application "nope" does not exist/);
    expect(run.stderr).toMatch(/hint: Create it first/);
    expect(uploads()).toEqual([]);
  });

  it('exits 2 and uploads nothing for an invalid revision', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await writeFile(
      join(app, 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  Install:\n    - location: scripts/start.sh\n',
    );
    const run = await runCli(
      ['push', app, '--application', 'sample-app', '--s3-location', 's3://deploys/apps'],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/appspec\.yml:4:3 error hooks\.Install/);
    expect(uploads()).toEqual([]);
    expect(registrations()).toEqual([]);
  });

  it('exits 2 on a malformed --s3-location before touching AWS', async () => {
    const run = await runCli(
      ['push', join(EXAMPLES, 'sample-app'), '--application', 'sample-app', '--s3-location', 'deploys/apps'],
      { env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/s3:\/\/BUCKET\/PREFIX/);
    expect(codeDeploy.requests).toEqual([]);
    expect(s3.requests).toEqual([]);
  });

  it('exits 4 with the bucket named and a hint when the bucket does not exist', async () => {
    const run = await runCli(
      [
        'push',
        join(EXAMPLES, 'sample-app'),
        '--application',
        'sample-app',
        '--s3-location',
        's3://missing-bucket/x',
      ],
      { env },
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/missing-bucket/);
    expect(run.stderr).toMatch(/NoSuchBucket/);
    expect(run.stderr).toMatch(/hint: /);
    expect(registrations()).toEqual([]);
  });

  it('exits 4 when the endpoint is unreachable, without printing the secret key', async () => {
    await s3.close();
    const run = await runCli(
      [
        'push',
        join(EXAMPLES, 'sample-app'),
        '--application',
        'sample-app',
        '--s3-location',
        's3://deploys/apps',
        '--debug',
      ],
      { env: { ...env, AWS_SECRET_ACCESS_KEY: SECRET, AWS_MAX_ATTEMPTS: '1' } },
    );
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
});
