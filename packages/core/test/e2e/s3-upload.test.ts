import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type S3TestServer, startS3Server } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors/index.js';
import {
  contentAddressedKey,
  createS3Client,
  type UploadProgress,
  uploadBundle,
} from '../../src/s3/index.js';

const BUCKET = 'bundles';
const MiB = 1024 * 1024;

let server: S3TestServer;
let client: S3Client;
let workDir: string;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  client = createS3Client({ env: server.env });
  workDir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-s3-e2e-'));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

interface Bundle {
  file: string;
  sha256: string;
  bytes: Buffer;
  key: string;
}

async function writeBundle(name: string, size: number): Promise<Bundle> {
  const bytes = randomBytes(size);
  const file = join(workDir, name);
  await writeFile(file, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { file, sha256, bytes, key: contentAddressedKey('deploys', sha256, 'zip', 'web') };
}

async function download(key: string, bucket = BUCKET): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

async function openUploads(): Promise<string[]> {
  const list = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  return (list.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

function requestsSince(start: number, key: string) {
  return server.requests.slice(start).filter((r) => r.path === `/${BUCKET}/${key}`);
}

describe('uploadBundle against s3rver', () => {
  it('uploads a small bundle with one PutObject and stores its SHA-256 as metadata', async () => {
    const bundle = await writeBundle('small.zip', 100_000);
    const start = server.requests.length;

    const result = await uploadBundle({ client, bucket: BUCKET, ...bundle });

    const md5 = createHash('md5').update(bundle.bytes).digest('hex');
    expect(result).toEqual({ bucket: BUCKET, key: bundle.key, eTag: md5, uploaded: true, size: 100_000 });
    const sent = requestsSince(start, bundle.key);
    expect(sent.map((r) => r.method)).toEqual(['HEAD', 'PUT']);
    expect(sent[1]?.query).not.toHaveProperty('uploadId');
    expect(await download(bundle.key)).toEqual(bundle.bytes);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: bundle.key }));
    expect(head.Metadata?.sha256).toBe(bundle.sha256);
  });

  it('uploads a 20 MiB bundle as a multipart upload of 5 MiB parts, reporting progress', async () => {
    const bundle = await writeBundle('large.zip', 20 * MiB);
    const start = server.requests.length;
    const progress: UploadProgress[] = [];

    const result = await uploadBundle({
      client,
      bucket: BUCKET,
      ...bundle,
      partSize: 5 * MiB,
      onProgress: (p) => progress.push(p),
    });

    expect(result.uploaded).toBe(true);
    const parts = requestsSince(start, bundle.key).filter((r) => r.method === 'PUT' && r.query.partNumber);
    expect(parts.map((r) => Number(r.query.partNumber)).sort()).toEqual([1, 2, 3, 4]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ bytesDone: 20 * MiB, bytesTotal: 20 * MiB });
    const stored = await download(bundle.key);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(bundle.sha256);
    expect(result.eTag).toMatch(/^[0-9a-f]{32}(-\d+)?$/);
    expect(await openUploads()).toEqual([]);
  });

  it('skips the upload when the same bundle is already at its key, returning the same ETag', async () => {
    const bundle = await writeBundle('again.zip', 50_000);
    const first = await uploadBundle({ client, bucket: BUCKET, ...bundle });
    const start = server.requests.length;

    const second = await uploadBundle({ client, bucket: BUCKET, ...bundle });

    expect(second).toEqual({ ...first, uploaded: false });
    expect(requestsSince(start, bundle.key).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('uploads changed content to a new key and leaves the old bundle in place', async () => {
    const before = await writeBundle('changing.zip', 40_000);
    await uploadBundle({ client, bucket: BUCKET, ...before });
    const after = await writeBundle('changing.zip', 40_000);

    const result = await uploadBundle({ client, bucket: BUCKET, ...after });

    expect(after.key).not.toBe(before.key);
    expect(result).toMatchObject({ key: after.key, uploaded: true });
    expect(await download(after.key)).toEqual(after.bytes);
    expect(await download(before.key)).toEqual(before.bytes);
  });

  it('overwrites an object at the key that was not put there by us', async () => {
    const bundle = await writeBundle('foreign.zip', 30_000);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: bundle.key, Body: 'something else' }));

    const result = await uploadBundle({ client, bucket: BUCKET, ...bundle });

    expect(result.uploaded).toBe(true);
    expect(await download(bundle.key)).toEqual(bundle.bytes);
  });

  it('still uploads when HeadObject is denied (upload-only roles)', async () => {
    const bundle = await writeBundle('no-head.zip', 20_000);
    server.injectFault(
      (r) => r.method === 'HEAD' && r.path.endsWith(bundle.key),
      { status: 403, code: 'AccessDenied' },
      1,
    );

    const result = await uploadBundle({ client, bucket: BUCKET, ...bundle });

    expect(result.uploaded).toBe(true);
    expect(await download(bundle.key)).toEqual(bundle.bytes);
  });

  it('sends the requested server-side encryption', async () => {
    const bundle = await writeBundle('sse.zip', 10_000);
    const start = server.requests.length;

    await uploadBundle({ client, bucket: BUCKET, ...bundle, serverSideEncryption: { algorithm: 'AES256' } });

    const put = requestsSince(start, bundle.key).find((r) => r.method === 'PUT');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
  });

  it('stops mid-multipart when the signal aborts: rejects with the reason and leaves no upload behind', async () => {
    const bundle = await writeBundle('aborted.zip', 40 * MiB);
    const controller = new AbortController();
    const reason = new Error('deployment cancelled');
    const start = server.requests.length;
    const began = Date.now();

    const attempt = uploadBundle({
      client,
      bucket: BUCKET,
      ...bundle,
      partSize: 5 * MiB,
      queueSize: 2,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });

    await expect(attempt).rejects.toBe(reason);
    expect(Date.now() - began).toBeLessThan(10_000);
    const sent = requestsSince(start, bundle.key);
    expect(sent.some((r) => r.method === 'POST' && 'uploads' in r.query)).toBe(true);
    expect(sent.filter((r) => r.query.partNumber).length).toBeLessThan(8);
    expect(sent.some((r) => r.method === 'DELETE' && r.query.uploadId)).toBe(true);
    expect(await openUploads()).toEqual([]);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: bundle.key })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('rejects at once, sending nothing, when the signal has already aborted', async () => {
    const bundle = await writeBundle('pre-aborted.zip', 1_000);
    const start = server.requests.length;

    await expect(
      uploadBundle({ client, bucket: BUCKET, ...bundle, signal: AbortSignal.abort(new Error('too late')) }),
    ).rejects.toThrow('too late');
    expect(requestsSince(start, bundle.key)).toEqual([]);
  });

  it('aborts the multipart upload when a part is refused, and says what it was doing', async () => {
    const bundle = await writeBundle('refused.zip', 12 * MiB);
    server.injectFault((r) => r.path.endsWith(bundle.key) && r.query.partNumber === '2', {
      status: 403,
      code: 'AccessDenied',
      message: 'Access Denied',
    });

    const error = await uploadBundle({ client, bucket: BUCKET, ...bundle, partSize: 5 * MiB }).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(AwsError);
    expect(error.message).toBe(
      `uploading bundle to s3://${BUCKET}/${bundle.key}: Access Denied (AccessDenied)`,
    );
    expect(error.hint).toMatch(/credentials/);
    expect(await openUploads()).toEqual([]);
  });

  it('fails with exit 4 and a create-the-bucket hint when the bucket does not exist', async () => {
    const bundle = await writeBundle('nobucket.zip', 1_000);

    const error = await uploadBundle({ client, bucket: 'no-such-bucket', ...bundle }).catch((e) => e);

    expect(error).toBeInstanceOf(AwsError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('NoSuchBucket');
    expect(error.message).toMatch(/^uploading bundle to s3:\/\/no-such-bucket\//);
    expect(error.hint).toMatch(/Create the bucket/);
  });

  it('fails quickly with an ECONNREFUSED hint when nothing listens at the endpoint', async () => {
    const port = await closedPort();
    const down = createS3Client({
      env: { ...server.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` },
      maxAttempts: 2,
    });
    const bundle = await writeBundle('down.zip', 1_000);
    const began = Date.now();

    const error = await uploadBundle({ client: down, bucket: BUCKET, ...bundle }).catch((e) => e);

    down.destroy();
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(AwsError);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.exitCode).toBe(4);
    expect(error.hint).toMatch(/AWS_ENDPOINT_URL/);
  });
});

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
