import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, rejectionOf } from '../e2e/helpers.js';
import { MeasuredServer } from './measured-server.js';
import { abandonedRequest, headOnlyRequest, rawRequest, streamedPut } from './s3-raw-http.js';

const MiB = 1024 * 1024;
/** Large enough that buffering it would show, small enough for a loaded CI machine. */
const BODY_BYTES = 300 * MiB;
/**
 * What streaming may add to the server's resident memory: stream buffers and garbage not yet collected
 * (about 30 MiB measured); buffering the body would add all of it.
 */
const STREAMING_GROWTH_LIMIT = BODY_BYTES / 3;
const BUCKET = 'bodies';

describe('S3 bodies are bounded', () => {
  let stateDir: string;
  let server: MeasuredServer | undefined;
  let s3: S3Client;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 's3-bodies-'));
    server = await MeasuredServer.start(stateDir);
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const bucketFiles = () => readdir(join(stateDir, 's3', BUCKET), { recursive: true });

  it('streams a single PutObject to disk: memory grows far less than the body, ETag is its MD5', async () => {
    const measured = server as MeasuredServer;
    const before = await measured.memory('reset');
    const put = await streamedPut(measured.endpoint, `/${BUCKET}/big.bin`, BODY_BYTES);
    const after = await measured.memory('read');
    expect(put.status, put.body).toBe(200);
    expect(put.headers.etag).toBe(`"${put.md5}"`);
    expect(after.peak - before.rss).toBeLessThan(STREAMING_GROWTH_LIMIT);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));
    expect([head.ContentLength, head.ETag]).toEqual([BODY_BYTES, `"${put.md5}"`]);
  });

  it('streams an UploadPart to disk, and the completed object is the part', async () => {
    const measured = server as MeasuredServer;
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi.bin' }),
    );
    const before = await measured.memory('reset');
    const part = await streamedPut(
      measured.endpoint,
      `/${BUCKET}/multi.bin?partNumber=1&uploadId=${UploadId}`,
      BODY_BYTES,
    );
    const after = await measured.memory('read');
    expect(part.status, part.body).toBe(200);
    expect(part.headers.etag).toBe(`"${part.md5}"`);
    expect(after.peak - before.rss).toBeLessThan(STREAMING_GROWTH_LIMIT);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'multi.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.headers.etag }] },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multi.bin' }));
    expect(head.ContentLength).toBe(BODY_BYTES);
  });

  it('refuses a PUT above 5 GiB with EntityTooLarge before reading it, storing nothing', async () => {
    const measured = server as MeasuredServer;
    const answer = await headOnlyRequest(
      measured.endpoint,
      `PUT /${BUCKET}/huge.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${5 * 1024 * MiB + 1}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('<Code>EntityTooLarge</Code>');
    expect(answer).toContain('<MaxSizeAllowed>5368709120</MaxSizeAllowed>');
    const missing = await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'huge.bin' })));
    expect(missing.name).toBe('NotFound');
    expect((await bucketFiles()).filter((f) => f.startsWith('huge'))).toEqual([]);
  });

  it('refuses XML bodies above 4 MiB before reading them, and chunked ones without a length', async () => {
    const measured = server as MeasuredServer;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tagged', Body: 'x' }));
    const before = await measured.memory('reset');
    const tagging = await headOnlyRequest(
      measured.endpoint,
      `PUT /${BUCKET}/tagged?tagging HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${BODY_BYTES}`,
    );
    expect(tagging).toMatch(/^HTTP\/1\.1 400 /);
    expect(tagging).toContain('<Code>MaxMessageLengthExceeded</Code>');
    const deleteChunked = await headOnlyRequest(
      measured.endpoint,
      `POST /${BUCKET}?delete HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked`,
    );
    expect(deleteChunked).toMatch(/^HTTP\/1\.1 411 /);
    expect(deleteChunked).toContain('<Code>MissingContentLength</Code>');
    const after = await measured.memory('read');
    expect(after.peak - before.rss).toBeLessThan(STREAMING_GROWTH_LIMIT);
    const small = await rawRequest(
      measured.endpoint,
      'PUT',
      `/${BUCKET}/tagged?tagging`,
      '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>',
    );
    expect(small.status, small.body).toBe(200);
  });

  it('leaves the previous object whole, and no partial file, when an upload is cut off', async () => {
    const measured = server as MeasuredServer;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept', Body: 'version 1' }));
    // The client is gone after one MiB of ten: the server must drop what it received.
    await abandonedRequest(
      measured.endpoint,
      `PUT /${BUCKET}/kept HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${10 * MiB}`,
      MiB,
    );
    await expect
      .poll(async () => (await bucketFiles()).filter((f) => f.endsWith('.incoming')), { timeout: 20_000 })
      .toEqual([]);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept' }));
    expect(await object.Body?.transformToString()).toBe('version 1');
  });
});
