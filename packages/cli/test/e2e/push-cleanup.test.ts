import { randomBytes } from 'node:crypto';
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
import { EXAMPLES, runCli, startCli } from '../support/run-cli.js';

// A revision whose bundle needs a multipart upload (random bytes do not compress: ~24 MiB, 3 parts).
let s3: S3TestServer;
let codeDeploy: CodeDeployStub;
let env: NodeJS.ProcessEnv;
let work: string;
let app: string;

beforeEach(async () => {
  s3 = await startS3Server({ buckets: ['deploys'] });
  codeDeploy = await startCodeDeployStub({ applications: ['sample-app'] });
  env = { ...codeDeploy.env, ...s3.env };
  work = await mkdtemp(join(tmpdir(), 'cli-push-cleanup-'));
  app = join(work, 'app');
  await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
  await writeFile(join(app, 'app', 'assets.bin'), randomBytes(24 * 1024 * 1024));
});
afterEach(async () => {
  await Promise.all([s3.close(), codeDeploy.close(), rm(work, { recursive: true, force: true })]);
});

const isUploadPart = (r: { method: string; query: Record<string, string> }) =>
  r.method === 'PUT' && 'uploadId' in r.query && 'partNumber' in r.query;

const leftovers = () => s3.contents('deploys');

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

const pushArgs = () => ['push', app, '--application', 'sample-app', '--s3-location', 's3://deploys/apps'];

describe('codedeploy-gate push leaves nothing half-done', () => {
  it('aborts the multipart upload when a part keeps failing, exits 4 and registers nothing', async () => {
    s3.injectFault(isUploadPart, { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const run = await runCli(pushArgs(), { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /uploading bundle to s3:\/\/deploys\/apps\/sample-app-[0-9a-f]{64}\.zip: Access Denied/,
    );
    expect(s3.requests.some((r) => r.method === 'DELETE' && 'uploadId' in r.query)).toBe(true);
    expect(await leftovers()).toEqual({ objects: [], uploads: [] });
    expect(codeDeploy.requests.filter((r) => r.operation === 'RegisterApplicationRevision')).toEqual([]);
  });

  it('stops on SIGINT mid-upload: exit 130, multipart upload aborted, nothing registered', async () => {
    s3.injectDelay(isUploadPart, 1_500);
    const { child, done } = startCli(pushArgs(), { env });
    await until(() => s3.requests.some(isUploadPart), 'the first part upload');
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/cancelled by SIGINT/);
    expect(await leftovers()).toEqual({ objects: [], uploads: [] });
    expect(codeDeploy.requests.filter((r) => r.operation === 'RegisterApplicationRevision')).toEqual([]);
  });

  it('stops on SIGTERM (how Jenkins aborts) with exit 143', async () => {
    s3.injectDelay(isUploadPart, 1_500);
    const { child, done } = startCli(pushArgs(), { env });
    await until(() => s3.requests.some(isUploadPart), 'the first part upload');
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(143);
    expect((await leftovers()).uploads).toEqual([]);
  });
});
