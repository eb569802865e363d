import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from './s3-emulator.js';
import { accounts } from './s3rver-internals.js';

/** A ListBuckets as a SigV4 signer sends it (the signature itself is not checked). */
function listBuckets(port: number, accessKeyId: string): Promise<number> {
  const date = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const headers = {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    'x-amz-date': date,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  };
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('access key ids', () => {
  let directory: string;
  let s3: EmbeddedS3;
  let server: Server;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3-emulator-keys-'));
    s3 = startEmbeddedS3(directory, () => {});
    server = createServer((req, res) => s3.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    s3?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('accepts every key id it is shown, remembering a bounded number of them', async () => {
    const { port } = server.address() as AddressInfo;
    const statuses = new Set<number>();
    for (let i = 0; i < 1_100; i++) statuses.add(await listBuckets(port, `AKIDFLOOD${i}`));
    expect([...statuses]).toEqual([200]);
    expect(accounts.registry.size).toBeLessThanOrEqual(1_001 + 1);
    expect(await listBuckets(port, 'AKIDFLOOD0')).toBe(200);
  });
});
