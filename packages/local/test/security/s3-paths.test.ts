import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '../../src/index.js';
import { CREDENTIALS } from '../e2e/helpers.js';
import { rawRequest } from './s3-raw-http.js';

const SENTINEL = 'sentinel: must never be read, overwritten or deleted through S3';
const BUCKET = 'bkt';

/**
 * A state dir inside a scratch folder, with sentinel files where traversal keys would land: s3rver
 * stored `KEY` as `KEY._S3rver_object`, so `../../../PWN` from the bucket folder was `<scratch>/PWN._S3rver_object`.
 */
interface Scratch {
  root: string;
  stateDir: string;
  sentinels: string[];
}

async function scratch(): Promise<Scratch> {
  const root = await mkdtemp(join(tmpdir(), 's3-paths-'));
  const stateDir = join(root, 'state');
  await mkdir(stateDir);
  const sentinels = [
    join(root, 'PWN._S3rver_object'),
    join(stateDir, 'PWN._S3rver_object'),
    join(root, 'kept.txt'),
  ];
  for (const file of sentinels) await writeFile(file, SENTINEL);
  return { root, stateDir, sentinels };
}

/** Every file and folder under `root` except `<state-dir>/s3`, with the size of each file. */
async function outsideS3(scratchDir: Scratch): Promise<Record<string, number>> {
  const s3Dir = join(scratchDir.stateDir, 's3');
  const found: Record<string, number> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === s3Dir) continue;
      if (entry.isDirectory()) {
        found[`${relative(scratchDir.root, path)}/`] = 0;
        await walk(path);
      } else {
        found[relative(scratchDir.root, path)] = (await stat(path)).size;
      }
    }
  };
  await walk(scratchDir.root);
  return found;
}

async function expectSentinelsIntact(scratchDir: Scratch): Promise<void> {
  for (const file of scratchDir.sentinels) expect(await readFile(file, 'utf8')).toBe(SENTINEL);
}

function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

/**
 * Raw targets that climbed out of the bucket folder (or named the state dir as a bucket), written as an
 * attacker sends them: `..` as is, escaped, with escaped slashes or backslashes, absolute keys.
 */
function traversalTargets(root: string): string[] {
  return [
    '/bkt/../../../PWN',
    '/bkt/../../PWN',
    '/bkt/./../../../PWN',
    '/bkt/%2e%2e/%2e%2e/%2e%2e/PWN',
    '/bkt/..%2f..%2f..%2fPWN',
    '/bkt/..%2F..%2FPWN',
    '/bkt/%2e%2e%2f%2e%2e%2f%2e%2e%2fPWN',
    '/bkt/..\\..\\..\\PWN',
    '/bkt/..%5c..%5c..%5cPWN',
    '/bkt/%2e%2e%5c%2e%2e%5c%2e%2e%5cPWN',
    `/bkt/${root}/PWN`,
    `/bkt//${root}/PWN`,
    `/${root}/PWN`,
    '//etc/PWN',
    '/../PWN',
    '/../../PWN',
    '/%2e%2e/PWN',
    '/%2e%2e/%2e%2e/PWN',
    '/%2E%2E%2f%2e%2e%2fPWN',
    '/./PWN',
    '/%2e/PWN',
    '/..%5c..%5cPWN',
  ];
}

describe('S3 keys and bucket names never leave <state-dir>/s3', () => {
  let dir: Scratch;
  let server: LocalCodeDeploy;
  let s3: S3Client;

  beforeAll(async () => {
    dir = await scratch();
    server = await startLocalCodeDeploy({ stateDir: dir.stateDir });
    s3 = s3Client(server.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(dir.root, { recursive: true, force: true });
  });

  it('reads, writes and deletes nothing outside through any traversal form, bucket or key', async () => {
    const before = await outsideS3(dir);
    for (const target of traversalTargets(dir.root)) {
      const firstRead = await rawRequest(server.endpoint, 'GET', target);
      expect(firstRead.body, `GET ${target}`).not.toContain('sentinel');
      const put = await rawRequest(server.endpoint, 'PUT', target, `attack via ${target}`);
      expect(put.status, `PUT ${target}: ${put.body}`).toBeLessThan(500);
      const read = await rawRequest(server.endpoint, 'GET', target);
      expect(read.body, `GET ${target}`).not.toContain('sentinel');
      if (put.status === 200) expect(read.body).toBe(`attack via ${target}`);
      const head = await rawRequest(server.endpoint, 'HEAD', target);
      expect(head.status, `HEAD ${target}`).toBeLessThan(500);
      const deleted = await rawRequest(server.endpoint, 'DELETE', target);
      expect(deleted.status, `DELETE ${target}: ${deleted.body}`).toBeLessThan(500);
    }
    await expectSentinelsIntact(dir);
    expect(await outsideS3(dir)).toEqual(before);
  });

  it('refuses a bucket named .., . or nothing with InvalidBucketName, never touching the state dir', async () => {
    for (const target of ['/..', '/.', '/%2e%2e', '/%2E', '/..%2f..', '/%2e%2e/key', '//key']) {
      for (const method of ['PUT', 'GET', 'DELETE']) {
        const answer = await rawRequest(server.endpoint, method, target);
        expect(answer.status, `${method} ${target}: ${answer.body}`).toBe(400);
        expect(answer.body).toContain('<Code>InvalidBucketName</Code>');
      }
    }
    await expectSentinelsIntact(dir);
  });

  it('stores a traversal key as a key: what one spelling put, the others read, and the listing names it exactly', async () => {
    const put = await rawRequest(server.endpoint, 'PUT', '/bkt/..%2f..%2f..%2fstored', 'kept as a key');
    expect(put.status).toBe(200);
    for (const spelling of [
      '/bkt/../../../stored',
      '/bkt/%2e%2e/%2e%2e/%2e%2e/stored',
      '/bkt/%2e%2e%2f..%2F../stored',
    ]) {
      expect((await rawRequest(server.endpoint, 'GET', spelling)).body).toBe('kept as a key');
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '../' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['../../../stored']);
    expect((await rawRequest(server.endpoint, 'DELETE', '/bkt/../../../stored')).status).toBe(204);
  });

  it('round-trips keys with .., ., empty parts, backslashes and escapes through the real S3 client', async () => {
    const keys = [
      '../../x/./y',
      '/etc/passwd',
      'a//b/',
      '..\\..\\win',
      '%2e%2e/%2F',
      'dir/..',
      '._S3rver_uploads/k',
    ];
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key}` }));
    }
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(await object.Body?.transformToString()).toBe(`body of ${key}`);
      const ranged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=0-3' }));
      expect(await ranged.Body?.transformToString()).toBe('body');
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    const byFolder = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '../', Delimiter: '/' }),
    );
    expect(byFolder.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['../../']);
    await expectSentinelsIntact(dir);
  });

  it('copies from a traversal source key only what is stored under that key', async () => {
    await rawRequest(server.endpoint, 'PUT', '/bkt/%2e%2e/%2e%2e/%2e%2e/PWN', 'stored under the key');
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy', CopySource: 'bkt/../../../PWN' }));
    const copy = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy' }));
    expect(await copy.Body?.transformToString()).toBe('stored under the key');
    const fromOutside = await rawRequest(server.endpoint, 'PUT', '/bkt/copy2', undefined, {
      'x-amz-copy-source': '/../PWN',
    });
    expect(fromOutside.body).toContain('<Code>InvalidBucketName</Code>');
    await expectSentinelsIntact(dir);
  });

  it('deletes only keys when DeleteObjects names traversal keys', async () => {
    const body =
      '<Delete><Object><Key>../../../PWN</Key></Object><Object><Key>../../PWN</Key></Object>' +
      '<Object><Key>../../../kept.txt</Key></Object></Delete>';
    const answer = await rawRequest(server.endpoint, 'POST', '/bkt?delete', body, {
      'content-type': 'application/xml',
    });
    expect(answer.status).toBe(200);
    await expectSentinelsIntact(dir);
  });

  it('checks upload ids and part numbers before they name a file', async () => {
    const before = await outsideS3(dir);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'parts' }));
    const attacks: Array<[string, string, number, string]> = [
      ['PUT', '/bkt/parts?partNumber=1&uploadId=..%2f..%2f..%2f..%2f', 404, 'NoSuchUpload'],
      ['PUT', '/bkt/parts?partNumber=1&uploadId=../../../..', 404, 'NoSuchUpload'],
      [
        'PUT',
        `/bkt/parts?partNumber=..%2f..%2f..%2f..%2f..%2fPWN&uploadId=${UploadId}`,
        400,
        'InvalidArgument',
      ],
      ['PUT', `/bkt/parts?partNumber=0&uploadId=${UploadId}`, 400, 'InvalidArgument'],
      ['PUT', '/bkt/parts?partNumber=1&uploadId=0123456789abcdef0123456789abcdef', 404, 'NoSuchUpload'],
      ['DELETE', '/bkt/parts?uploadId=..%2f..%2f..', 404, 'NoSuchUpload'],
      ['DELETE', '/%2e%2e/parts?uploadId=..', 400, 'InvalidBucketName'],
      ['GET', '/%2e%2e?uploads', 400, 'InvalidBucketName'],
      ['POST', '/bkt/parts?uploadId=..%2f..', 404, 'NoSuchUpload'],
    ];
    for (const [method, target, status, code] of attacks) {
      const body =
        method === 'POST'
          ? '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>'
          : 'part';
      const answer = await rawRequest(server.endpoint, method, target, body);
      expect([answer.status, answer.body], `${method} ${target}`).toEqual([
        status,
        expect.stringContaining(`<Code>${code}</Code>`),
      ]);
    }
    const completeMissing = await rawRequest(
      server.endpoint,
      'POST',
      `/bkt/parts?uploadId=${UploadId}`,
      '<CompleteMultipartUpload><Part><PartNumber>7</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>',
    );
    expect(completeMissing.body).toContain('<Code>InvalidPart</Code>');
    await expectSentinelsIntact(dir);
    expect(await outsideS3(dir)).toEqual(before);
  });
});

describe('a state dir written by an earlier version', () => {
  let dir: Scratch | undefined;
  let server: LocalCodeDeploy | undefined;
  let s3: S3Client | undefined;

  afterEach(async () => {
    s3?.destroy();
    await server?.close();
    if (dir) await rm(dir.root, { recursive: true, force: true });
  });

  it('still serves objects under plain keys where s3rver 3.7 stored them', async () => {
    dir = await scratch();
    // s3rver 3.7's layout: folders per key part, the last part suffixed, metadata and MD5 beside it.
    const folder = join(dir.stateDir, 's3', 'legacy-bucket', 'releases', 'v1');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'app.zip._S3rver_object'), 'old bundle');
    const md5 = createHash('md5').update('old bundle').digest('hex');
    await writeFile(join(folder, 'app.zip._S3rver_object.md5'), md5);
    await writeFile(join(folder, 'app.zip._S3rver_metadata.json'), '{"content-type":"application/zip"}');
    server = await startLocalCodeDeploy({ stateDir: dir.stateDir });
    s3 = s3Client(server.endpoint);
    const object = await s3.send(
      new GetObjectCommand({ Bucket: 'legacy-bucket', Key: 'releases/v1/app.zip' }),
    );
    expect([await object.Body?.transformToString(), object.ContentType]).toEqual([
      'old bundle',
      'application/zip',
    ]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'legacy-bucket' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['releases/v1/app.zip']);
  });
});

describe('DELETE of bucket .. on an empty store', () => {
  let dir: Scratch | undefined;
  let server: LocalCodeDeploy | undefined;

  afterEach(async () => {
    await server?.close();
    if (dir) await rm(dir.root, { recursive: true, force: true });
  });

  it('leaves the state dir and everything in it', async () => {
    dir = await scratch();
    server = await startLocalCodeDeploy({ stateDir: dir.stateDir });
    const before = await outsideS3(dir);
    for (const target of ['/%2e%2e', '/..', '/%2E%2E/', '/.', '/%2e']) {
      const answer = await rawRequest(server.endpoint, 'DELETE', target);
      expect([answer.status, answer.body], `DELETE ${target}`).toEqual([
        400,
        expect.stringContaining('<Code>InvalidBucketName</Code>'),
      ]);
    }
    // A Host header never names a bucket (s3rver read `Host: ..` as bucket `..`).
    for (const host of ['..', '%2e%2e', '...s3.amazonaws.com']) {
      const answer = await rawRequest(server.endpoint, 'DELETE', '/', undefined, { host });
      expect(answer.status, `DELETE / with Host ${host}: ${answer.body}`).toBeLessThan(500);
      expect(answer.status).not.toBe(204);
    }
    await expectSentinelsIntact(dir);
    expect(await outsideS3(dir)).toEqual(before);
  });
});
