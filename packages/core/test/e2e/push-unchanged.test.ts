import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type CodeDeployStub,
  type RevisionFolder,
  type S3TestServer,
  startCodeDeployStub,
  startS3Server,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCodeDeployClient } from '../../src/aws/index.js';
import { type PushOptions, type PushResult, pushRevision } from '../../src/push/index.js';
import { createS3Client, fingerprintKey } from '../../src/s3/index.js';

const BUCKET = 'bundles';
const APP = 'web-app';

let s3Server: S3TestServer;
let codeDeployStub: CodeDeployStub;
let s3: S3Client;
let codeDeploy: CodeDeployClient;
let revision: RevisionFolder;
/** The content-hash cache of these pushes, away from the user's. */
let cacheDir: string;

beforeAll(async () => {
  s3Server = await startS3Server({ buckets: [BUCKET] });
  codeDeployStub = await startCodeDeployStub({ applications: [APP] });
  s3 = createS3Client({ env: s3Server.env });
  codeDeploy = createCodeDeployClient({ env: codeDeployStub.env });
  cacheDir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-push-cache-'));
});

afterAll(async () => {
  s3?.destroy();
  codeDeploy?.destroy();
  await s3Server?.close();
  await codeDeployStub?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

let prefix = 0;
let options: PushOptions;

beforeEach(async () => {
  revision = await writeRevision({ version: '1.0.0' });
  // A fresh prefix per test, so no test finds another's bundle.
  prefix += 1;
  options = {
    application: APP,
    s3Location: `s3://${BUCKET}/t${prefix}`,
    clients: { s3, codeDeploy },
    contentCache: cacheDir,
  };
});

afterEach(async () => {
  await revision?.cleanup();
});

/** Pushes and returns the result with the S3 requests that push sent. */
async function push(extra: Partial<PushOptions> = {}) {
  const start = s3Server.requests.length;
  const registered = codeDeployStub.requests.length;
  const result = await pushRevision(revision.dir, { ...options, ...extra });
  const requests = s3Server.requests.slice(start);
  const registrations = codeDeployStub.requests
    .slice(registered)
    .filter((r) => r.operation === 'RegisterApplicationRevision');
  return {
    result,
    uploads: requests.filter((r) => r.method === 'PUT' || r.method === 'POST'),
    registration: registrations.at(-1)?.body,
  };
}

async function objectSha256(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return createHash('sha256')
    .update(await object.Body!.transformToByteArray())
    .digest('hex');
}

function s3LocationOf(result: PushResult) {
  return result.revision.s3Location;
}

describe('push of an unchanged tree', () => {
  it('builds and uploads nothing the second time, and registers the bundle that is in S3', async () => {
    const first = await push();
    expect(first.result).toMatchObject({ uploaded: true, bundled: true, fingerprintRecorded: true });
    // The bundle and its fingerprint pointer.
    expect(first.uploads.map((r) => r.path).sort()).toEqual(
      [
        `/${BUCKET}/${first.result.key}`,
        `/${BUCKET}/${fingerprintKey(`t${prefix}`, first.result.fingerprint, APP)}`,
      ].sort(),
    );

    const second = await push();

    expect(second.uploads).toEqual([]);
    expect(second.result).toMatchObject({
      uploaded: false,
      bundled: false,
      key: first.result.key,
      sha256: first.result.sha256,
      eTag: first.result.eTag,
      size: first.result.size,
      fingerprint: first.result.fingerprint,
      files: first.result.files,
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: second.result.key }));
    expect(head.ETag?.replaceAll('"', '')).toBe(second.result.eTag);
    expect(head.ContentLength).toBe(second.result.size);
    expect(await objectSha256(second.result.key)).toBe(second.result.sha256);
    expect(second.registration).toMatchObject({
      applicationName: APP,
      revision: { revisionType: 'S3', s3Location: s3LocationOf(second.result) },
    });
    expect(s3LocationOf(second.result)).toEqual({
      bucket: BUCKET,
      key: first.result.key,
      bundleType: 'zip',
      eTag: first.result.eTag,
    });
  });

  it('builds a new bundle when one byte of one file changes, even with the same size and mtime', async () => {
    const first = await push();
    const file = join(revision.dir, 'app', 'VERSION');
    const before = await stat(file);
    await writeFile(file, '1.0.1\n');
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);

    const second = await push();

    expect(second.result).toMatchObject({ uploaded: true, bundled: true });
    expect(second.result.fingerprint).not.toBe(first.result.fingerprint);
    expect(second.result.sha256).not.toBe(first.result.sha256);
    expect(second.uploads.map((r) => r.path)).toContain(`/${BUCKET}/${second.result.key}`);
    expect(await objectSha256(second.result.key)).toBe(second.result.sha256);
    expect(second.registration).toMatchObject({ revision: { s3Location: { key: second.result.key } } });
  });

  it('builds a new bundle when the settings that shape its bytes change', async () => {
    const first = await push();

    const stored = await push({ level: 0 });

    expect(stored.result).toMatchObject({ bundled: true, uploaded: true });
    expect(stored.result.fingerprint).not.toBe(first.result.fingerprint);
    expect(stored.result.size).toBeGreaterThan(first.result.size);
  });

  it('still pushes when the fingerprint pointer cannot be written, and builds again next time', async () => {
    const pointerPut = (r: { method: string; path: string }) =>
      r.method === 'PUT' && r.path.includes('/fingerprints/');
    s3Server.injectFault(pointerPut, { status: 403, code: 'AccessDenied' }, 1);

    const first = await push();

    expect(first.result).toMatchObject({ uploaded: true, bundled: true, fingerprintRecorded: false });
    expect(first.registration).toMatchObject({ revision: { s3Location: { key: first.result.key } } });
    const second = await push();
    expect(second.result).toMatchObject({ bundled: true, uploaded: false, fingerprintRecorded: true });
    const third = await push();
    expect(third.result).toMatchObject({ bundled: false, uploaded: false, key: first.result.key });
    expect(third.uploads).toEqual([]);
  });

  it('uploads again with forceUpload', async () => {
    const first = await push();

    const forced = await push({ forceUpload: true });

    expect(forced.result).toMatchObject({ bundled: true, uploaded: true, sha256: first.result.sha256 });
    expect(forced.uploads.map((r) => r.path)).toContain(`/${BUCKET}/${first.result.key}`);
  });

  it('builds and uploads again when the bundle was deleted but its fingerprint pointer remains', async () => {
    const first = await push();
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: first.result.key }));

    const second = await push();

    expect(second.result).toMatchObject({ bundled: true, uploaded: true, key: first.result.key });
    expect(await objectSha256(second.result.key)).toBe(first.result.sha256);
  });
});
