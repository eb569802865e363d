import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { createBundle, SETTLE_MS } from '../../src/bundle/index.js';
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

/** The cache folder of a test below, in the environment as XDG_CACHE_HOME. */
let cacheHome: string;

/** The push as the CLI runs it: the cache folder comes from the environment. */
function pushCached(
  env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: cacheHome },
  extra: Partial<PushOptions> = {},
) {
  const { contentCache: _, ...rest } = options;
  return pushRevision(revision.dir, { ...rest, env, ...extra });
}

const cacheFolder = () => join(cacheHome, 'codedeploy-gate', 'content-hashes');
const cacheFiles = () => readdir(cacheFolder()).catch(() => [] as string[]);

/** Rewrites the one cache file's entries with EDIT, keeping it well-formed (its checksum right). */
async function rewriteCache(edit: (body: string) => string): Promise<void> {
  const [name] = await cacheFiles();
  const path = join(cacheFolder(), name as string);
  const text = await readFile(path, 'utf8');
  const headEnd = text.indexOf('\n');
  const body = edit(text.slice(headEnd + 1));
  const head = text
    .slice(0, headEnd)
    .replace(/[0-9a-f]{64}$/, createHash('sha256').update(body).digest('hex'));
  await writeFile(path, `${head}\n${body}`);
}

/** The SHA-256 of the bundle of the revision folder as it is now, built without any cache. */
async function bundleOfTreeNow(): Promise<string> {
  const out = join(cacheHome, 'now.zip');
  const { sha256 } = await createBundle(revision.dir, out, { format: 'zip' });
  await rm(out);
  return sha256;
}

describe('push with the content-hash cache', () => {
  beforeEach(async () => {
    cacheHome = await mkdtemp(join(tmpdir(), 'codedeploy-gate-cache-home-'));
    // Files changed less than SETTLE_MS ago are never cached: let the new revision settle.
    await sleep(SETTLE_MS + 200);
  });

  afterEach(async () => {
    await rm(cacheHome, { recursive: true, force: true });
  });

  it('re-pushes an unchanged tree without reading its files, the cache kept under XDG_CACHE_HOME', async () => {
    const first = await pushCached();
    expect(first).toMatchObject({ bundled: true, uploaded: true, filesHashed: first.files });
    const [cacheFile, ...others] = await cacheFiles();
    expect(others).toEqual([]);
    expect(cacheFile).toMatch(/^[0-9a-f]{64}\.txt$/);
    expect(await readFile(join(cacheFolder(), cacheFile as string), 'utf8')).toContain('"app/VERSION"');

    const second = await pushCached();

    expect(second).toMatchObject({
      bundled: false,
      uploaded: false,
      filesHashed: 0,
      key: first.key,
      sha256: first.sha256,
      fingerprint: first.fingerprint,
    });
    // Nothing of the cache lands in the revision folder.
    expect((await readdir(revision.dir)).sort()).toEqual(['app', 'appspec.yml', 'fail-on', 'scripts']);
  });

  it('builds a new bundle after a one-byte edit that keeps the size and the mtime', async () => {
    const first = await pushCached();
    const file = join(revision.dir, 'app', 'VERSION');
    const before = await stat(file);
    await writeFile(file, '1.0.1\n');
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);

    const second = await pushCached();

    expect(second).toMatchObject({ bundled: true, uploaded: true });
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.sha256).toBe(await bundleOfTreeNow());
  });

  it('builds from the files and records their fingerprint when the cache lies about a file', async () => {
    const first = await pushCached();
    const file = join(revision.dir, 'app', 'VERSION');
    await writeFile(file, '3.0.0\n');
    // A well-formed cache entry for the file as it is now, with a hash that is not its content's.
    const now = await lstat(file, { bigint: true });
    const stamp = `${now.dev}:${now.ino}:${now.size}:${now.mtimeNs}:${now.ctimeNs}`;
    await rewriteCache((body) =>
      body.replace(/^[0-9a-f]{64} \S+ "app\/VERSION"$/m, `${'f'.repeat(64)} ${stamp} "app/VERSION"`),
    );

    const second = await pushCached();

    expect(second).toMatchObject({ bundled: true, uploaded: true, filesHashed: second.files });
    expect(second.sha256).not.toBe(first.sha256);
    expect(second.sha256).toBe(await bundleOfTreeNow());
    // The pointer it recorded is the fingerprint of the files' bytes: a push without the cache finds it.
    const uncached = await pushCached({ CODEDEPLOY_GATE_NO_CACHE: '1' });
    expect(uncached).toMatchObject({
      bundled: false,
      fingerprint: second.fingerprint,
      sha256: second.sha256,
    });
  });

  it('ignores a damaged cache file and writes a good one', async () => {
    const first = await pushCached();
    const [cacheFile] = await cacheFiles();
    await writeFile(join(cacheFolder(), cacheFile as string), 'not a cache\n');

    const second = await pushCached();
    const third = await pushCached();

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    expect(third).toMatchObject({ bundled: false, filesHashed: 0, sha256: first.sha256 });
  });

  it('reads every file again and keeps no cache with CODEDEPLOY_GATE_NO_CACHE=1', async () => {
    const env = { XDG_CACHE_HOME: cacheHome, CODEDEPLOY_GATE_NO_CACHE: '1' };
    const first = await pushCached(env);
    const second = await pushCached(env);

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    expect(await cacheFiles()).toEqual([]);
  });

  it('keeps no cache when contentCache is false', async () => {
    await pushCached(undefined, { contentCache: false });
    expect(await cacheFiles()).toEqual([]);
  });

  it('keeps no cache in a cache folder inside the revision folder', async () => {
    const inside = join(revision.dir, '.cache');
    const first = await pushCached({ XDG_CACHE_HOME: inside });
    const second = await pushCached({ XDG_CACHE_HOME: inside });

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    await expect(stat(inside)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
