import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
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
import { type PushOptions, pushRevision } from '../../src/push/index.js';
import { createS3Client } from '../../src/s3/index.js';

const BUCKET = 'bundles';
const APP = 'cached-app';

let s3Server: S3TestServer;
let codeDeployStub: CodeDeployStub;
let clients: { s3: ReturnType<typeof createS3Client>; codeDeploy: CodeDeployClient };
let revision: RevisionFolder;
let cacheHome: string;
let prefix = 0;

beforeAll(async () => {
  s3Server = await startS3Server({ buckets: [BUCKET] });
  codeDeployStub = await startCodeDeployStub({ applications: [APP] });
  clients = {
    s3: createS3Client({ env: s3Server.env }),
    codeDeploy: createCodeDeployClient({ env: codeDeployStub.env }),
  };
});

afterAll(async () => {
  clients?.s3.destroy();
  clients?.codeDeploy.destroy();
  await s3Server?.close();
  await codeDeployStub?.close();
});

beforeEach(async () => {
  revision = await writeRevision({ version: '1.0.0' });
  cacheHome = await mkdtemp(join(tmpdir(), 'codedeploy-gate-cache-home-'));
  prefix += 1;
  // Files changed less than SETTLE_MS ago are never cached: let the new revision settle.
  await sleep(SETTLE_MS + 200);
});

afterEach(async () => {
  await revision?.cleanup();
  await rm(cacheHome, { recursive: true, force: true });
});

/** The push as the CLI runs it: the cache folder comes from the environment. */
function push(env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: cacheHome }, extra: Partial<PushOptions> = {}) {
  return pushRevision(revision.dir, {
    application: APP,
    s3Location: `s3://${BUCKET}/c${prefix}`,
    clients,
    env,
    ...extra,
  });
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
  it('re-pushes an unchanged tree without reading its files, the cache kept under XDG_CACHE_HOME', async () => {
    const first = await push();
    expect(first).toMatchObject({ bundled: true, uploaded: true, filesHashed: first.files });
    const [cacheFile, ...others] = await cacheFiles();
    expect(others).toEqual([]);
    expect(cacheFile).toMatch(/^[0-9a-f]{64}\.txt$/);
    expect(await readFile(join(cacheFolder(), cacheFile as string), 'utf8')).toContain('"app/VERSION"');

    const second = await push();

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
    const first = await push();
    const file = join(revision.dir, 'app', 'VERSION');
    const before = await stat(file);
    await writeFile(file, '1.0.1\n');
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);

    const second = await push();

    expect(second).toMatchObject({ bundled: true, uploaded: true });
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.sha256).toBe(await bundleOfTreeNow());
  });

  it('builds from the files and records their fingerprint when the cache lies about a file', async () => {
    const first = await push();
    const file = join(revision.dir, 'app', 'VERSION');
    await writeFile(file, '3.0.0\n');
    // A well-formed cache entry for the file as it is now, with a hash that is not its content's.
    const now = await lstat(file, { bigint: true });
    const stamp = `${now.dev}:${now.ino}:${now.size}:${now.mtimeNs}:${now.ctimeNs}`;
    await rewriteCache((body) =>
      body.replace(/^[0-9a-f]{64} \S+ "app\/VERSION"$/m, `${'f'.repeat(64)} ${stamp} "app/VERSION"`),
    );

    const second = await push();

    expect(second).toMatchObject({ bundled: true, uploaded: true, filesHashed: second.files });
    expect(second.sha256).not.toBe(first.sha256);
    expect(second.sha256).toBe(await bundleOfTreeNow());
    // The pointer it recorded is the fingerprint of the files' bytes: a push without the cache finds it.
    const uncached = await push({ CODEDEPLOY_GATE_NO_CACHE: '1' });
    expect(uncached).toMatchObject({
      bundled: false,
      fingerprint: second.fingerprint,
      sha256: second.sha256,
    });
  });

  it('ignores a damaged cache file and writes a good one', async () => {
    const first = await push();
    const [cacheFile] = await cacheFiles();
    await writeFile(join(cacheFolder(), cacheFile as string), 'not a cache\n');

    const second = await push();
    const third = await push();

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    expect(third).toMatchObject({ bundled: false, filesHashed: 0, sha256: first.sha256 });
  });

  it('reads every file again and keeps no cache with CODEDEPLOY_GATE_NO_CACHE=1', async () => {
    const env = { XDG_CACHE_HOME: cacheHome, CODEDEPLOY_GATE_NO_CACHE: '1' };
    const first = await push(env);
    const second = await push(env);

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    expect(await cacheFiles()).toEqual([]);
  });

  it('keeps no cache when contentCache is false', async () => {
    await push(undefined, { contentCache: false });
    expect(await cacheFiles()).toEqual([]);
  });

  it('keeps no cache in a cache folder inside the revision folder', async () => {
    const inside = join(revision.dir, '.cache');
    const first = await push({ XDG_CACHE_HOME: inside });
    const second = await push({ XDG_CACHE_HOME: inside });

    expect(second).toMatchObject({ bundled: false, filesHashed: first.files, sha256: first.sha256 });
    await expect(stat(inside)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
