import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from './s3-emulator.js';

const MiB = 1024 * 1024;

let directory: string;
let s3: EmbeddedS3;
let server: Server;
let endpoint: string;

function client(region = 'us-east-1'): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDFIDELITY', secretAccessKey: 'secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** What S3 documents a multipart ETag to be: MD5 of the parts' binary MD5s, then `-N`. */
function multipartETagOf(parts: readonly Buffer[]): string {
  const digests = parts.map((part) => createHash('md5').update(part).digest());
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}"`;
}

async function rejection(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3-emulator-fidelity-'));
  s3 = startEmbeddedS3(directory, () => {});
  await s3.createBucket('fidelity');
  server = createServer((req, res) => s3.handle(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  s3?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('multipart ETags', () => {
  it('gives an object uploaded in parts the ETag S3 gives it (MD5 of the part MD5s, -N), not the MD5 of its bytes', async () => {
    const body = randomBytes(11 * MiB);
    const s3Client = client();
    const upload = new Upload({
      client: s3Client,
      params: { Bucket: 'fidelity', Key: 'bundles/app.tar', Body: body },
      partSize: 5 * MiB,
      queueSize: 2,
    });
    const done = await upload.done();
    const expected = multipartETagOf([
      body.subarray(0, 5 * MiB),
      body.subarray(5 * MiB, 10 * MiB),
      body.subarray(10 * MiB),
    ]);
    expect(done.ETag).toBe(expected);
    expect(done.ETag).not.toContain(createHash('md5').update(body).digest('hex'));
    const head = await s3Client.send(new HeadObjectCommand({ Bucket: 'fidelity', Key: 'bundles/app.tar' }));
    expect(head.ETag).toBe(expected);
    expect(head.ContentLength).toBe(body.length);
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: 'fidelity', Prefix: 'bundles/' }));
    expect(listed.Contents?.map((o) => o.ETag)).toEqual([expected]);
  });

  it('refuses to complete an upload with a part ETag that is not the uploaded part’s (InvalidPart)', async () => {
    const s3Client = client();
    const { UploadId } = await s3Client.send(
      new CreateMultipartUploadCommand({ Bucket: 'fidelity', Key: 'stale.bin' }),
    );
    await s3Client.send(
      new UploadPartCommand({ Bucket: 'fidelity', Key: 'stale.bin', UploadId, PartNumber: 1, Body: 'one' }),
    );
    const error = await rejection(
      s3Client.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'fidelity',
          Key: 'stale.bin',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${'0'.repeat(32)}"` }] },
        }),
      ),
    );
    expect(error.name).toBe('InvalidPart');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('ListParts', () => {
  it('lists the uploaded parts a page at a time with max-parts and part-number-marker', async () => {
    const s3Client = client();
    const Key = 'paged/parts.bin';
    const { UploadId } = await s3Client.send(new CreateMultipartUploadCommand({ Bucket: 'fidelity', Key }));
    const bodies = ['first part', 'second', 'third part!'];
    const eTags: string[] = [];
    for (const [index, Body] of bodies.entries()) {
      const part = await s3Client.send(
        new UploadPartCommand({ Bucket: 'fidelity', Key, UploadId, PartNumber: index + 1, Body }),
      );
      eTags.push(part.ETag ?? '');
    }
    const first = await s3Client.send(
      new ListPartsCommand({ Bucket: 'fidelity', Key, UploadId, MaxParts: 2 }),
    );
    expect(first).toMatchObject({
      Bucket: 'fidelity',
      Key,
      UploadId,
      MaxParts: 2,
      IsTruncated: true,
      NextPartNumberMarker: '2',
    });
    expect(first.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, eTags[0], bodies[0]?.length],
      [2, eTags[1], bodies[1]?.length],
    ]);
    expect(first.Parts?.[0]?.LastModified).toBeInstanceOf(Date);
    const second = await s3Client.send(
      new ListPartsCommand({
        Bucket: 'fidelity',
        Key,
        UploadId,
        PartNumberMarker: first.NextPartNumberMarker,
      }),
    );
    expect(second.IsTruncated).toBe(false);
    expect(second.PartNumberMarker).toBe('2');
    expect(second.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [3, eTags[2], bodies[2]?.length],
    ]);
  });

  it('answers NoSuchUpload (404) for an upload id that is not in progress for that key', async () => {
    const s3Client = client();
    const { UploadId } = await s3Client.send(
      new CreateMultipartUploadCommand({ Bucket: 'fidelity', Key: 'mine.bin' }),
    );
    for (const [Key, id] of [
      ['mine.bin', 'f'.repeat(32)],
      ['other.bin', UploadId],
    ] as const) {
      const error = await rejection(
        s3Client.send(new ListPartsCommand({ Bucket: 'fidelity', Key, UploadId: id })),
      );
      expect(error.name).toBe('NoSuchUpload');
      expect(error.$metadata.httpStatusCode).toBe(404);
    }
  });
});

describe('CompleteMultipartUpload', () => {
  it('answers NoSuchUpload (404) for an unknown upload id', async () => {
    const error = await rejection(
      client().send(
        new CompleteMultipartUploadCommand({
          Bucket: 'fidelity',
          Key: 'never.bin',
          UploadId: 'a'.repeat(32),
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${'0'.repeat(32)}"` }] },
        }),
      ),
    );
    expect(error.name).toBe('NoSuchUpload');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('answers NoSuchUpload (404) for an unknown upload id before reading the part list', async () => {
    // A list s3rver cannot read (a part without ETag) made it answer 500 whatever the upload id.
    const body = '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>';
    const response = await fetch(`${endpoint}/fidelity/never.bin?uploadId=${'b'.repeat(32)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body,
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchUpload</Code>');
  });
});

describe('CreateBucket of a bucket you own', () => {
  it('succeeds again in us-east-1, as S3 does there', async () => {
    const s3Client = client('us-east-1');
    await s3Client.send(new CreateBucketCommand({ Bucket: 'owned-east' }));
    const again = await s3Client.send(new CreateBucketCommand({ Bucket: 'owned-east' }));
    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  it('answers BucketAlreadyOwnedByYou (409) in any other region', async () => {
    const s3Client = client('eu-west-1');
    await s3Client.send(
      new CreateBucketCommand({
        Bucket: 'owned-west',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const error = await rejection(
      s3Client.send(
        new CreateBucketCommand({
          Bucket: 'owned-west',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    );
    expect(error.name).toBe('BucketAlreadyOwnedByYou');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });
});

describe('XML as S3 writes it', () => {
  it('puts every result document in S3 namespace, and answers the service itself only to GET', async () => {
    const namespace = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
    const results = [
      await fetch(`${endpoint}/fidelity?list-type=2`),
      await fetch(`${endpoint}/`),
      await fetch(`${endpoint}/fidelity/ns.bin?uploads`, { method: 'POST' }),
    ];
    for (const response of results) {
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(new RegExp(`^<\\?xml[^>]*>\\s*<\\w+ ${namespace}>`));
      expect(text).not.toContain('doc.s3.amazonaws.com');
    }
    const refused = await fetch(`${endpoint}/`, { method: 'DELETE' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('content-type')).toBe('application/xml');
    expect(await refused.text()).toContain('<Code>MethodNotAllowed</Code>');
  });
});
