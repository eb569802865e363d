/**
 * S3 body benchmark: the peak resident memory of the local CodeDeploy (the built package, in a process
 * of its own) while it takes a 1 GiB PutObject and a 1 GiB UploadPart, streamed at the pace it reads.
 * Goal: peak under 150 MiB. A measurement, not a test: it exits non-zero only when the harness breaks.
 *
 *   pnpm bench                                                (from the repo root, through turbo)
 *   BENCH_QUICK=1 pnpm --filter @codedeploy-gate/local bench  (256 MiB bodies)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeMachine, machineLine } from '@codedeploy-gate/test-support';
import { MeasuredServer } from '../test/security/measured-server.js';
import { rawRequest, streamedPut } from '../test/security/s3-raw-http.js';

const MiB = 1024 * 1024;
const BODY_BYTES = (process.env.BENCH_QUICK === '1' ? 256 : 1024) * MiB;
const GOAL = 150 * MiB;

const stateDir = await mkdtemp(join(tmpdir(), 'bench-s3-bodies-'));
const server = await MeasuredServer.start(stateDir);
try {
  const created = await rawRequest(server.endpoint, 'PUT', '/bench');
  if (created.status !== 200) throw new Error(`CreateBucket answered ${created.status}: ${created.body}`);
  const initiated = await rawRequest(server.endpoint, 'POST', '/bench/multi.bin?uploads', '');
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(initiated.body)?.[1];
  if (!uploadId) throw new Error(`CreateMultipartUpload answered ${initiated.status}: ${initiated.body}`);

  const rows: string[] = [];
  for (const [label, path] of [
    ['PutObject', '/bench/single.bin'],
    ['UploadPart', `/bench/multi.bin?partNumber=1&uploadId=${uploadId}`],
  ] as const) {
    const before = await server.memory('reset');
    const started = performance.now();
    const put = await streamedPut(server.endpoint, path, BODY_BYTES);
    const seconds = (performance.now() - started) / 1000;
    const after = await server.memory('read');
    if (put.status !== 200 || put.headers.etag !== `"${put.md5}"`) {
      throw new Error(`${label} answered ${put.status} ${String(put.headers.etag)}: ${put.body}`);
    }
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
    rows.push(
      `| ${label} | ${mib(BODY_BYTES)} | ${mib(before.rss)} | ${mib(after.peak)} | ${mib(after.peak - before.rss)} | ` +
        `${(BODY_BYTES / MiB / seconds).toFixed(0)} MiB/s | ${after.peak < GOAL ? 'yes' : '**no**'} |`,
    );
  }
  console.log(`S3 bodies on the local CodeDeploy\n${machineLine(describeMachine())}\n`);
  console.log('| request | body | RSS before | peak RSS | growth | throughput | peak < 150 MiB |');
  console.log('| ------- | ---: | ---------: | -------: | -----: | ---------: | :------------: |');
  for (const row of rows) console.log(row);
} finally {
  await server.stop();
  await rm(stateDir, { recursive: true, force: true });
}
