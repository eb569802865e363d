/**
 * Plan benchmark: what does `codedeploy-gate plan` cost on the 8k-file application tree
 * (packages/core/bench/fixture.ts) deployed to a local group — bytes read from S3 to list the live
 * bundle, and time from spawn to exit? The live revision is the same tree, pushed as a zip (its
 * central directory read by range requests) and as a tgz (streamed once: a tar has no index). Each run
 * is the command users run, a fresh process against the local CodeDeploy. A measurement, not a test:
 * it exits non-zero only when the harness itself fails.
 *
 *   pnpm bench                                                (from the repo root, through turbo)
 *   BENCH_QUICK=1 pnpm --filter @codedeploy-gate/cli bench:plan   (one run each)
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { describeMachine, machineLine } from '@codedeploy-gate/test-support';
// The benchmark fixture is core's (not part of its published API): the same tree its packaging bench uses.
import { ensureAppFixture } from '../../core/bench/fixture.js';
import { median } from './report.js';
import { warnIfStale } from './stale-build.js';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 3;
const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(CLI_DIR, '../..');
const RESULTS_FILE = join(REPO_ROOT, 'bench', '.work', 'plan.json');
const OUR_CLI = join(CLI_DIR, 'bin', 'codedeploy-gate.js');
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const log = (line: string) => console.log(`[bench] ${line}`);

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; ms: number; output: string }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [OUR_CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? 1, ms: performance.now() - started, output }));
  });
}

async function main(): Promise<void> {
  await warnIfStale('plan', log);
  const machine = describeMachine();
  log(machineLine(machine));
  const app = await ensureAppFixture(log);
  log(`application tree: ${app.files} files, ${(app.bytes / 1e6).toFixed(1)} MB`);
  const work = join(REPO_ROOT, 'bench', '.work', 'plan');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  // The fixture's hooks expect a real host (/srv/bench-app); the local agent installs the tree without
  // them. Two files change between the live revision and the planned one, as in a small release.
  const revision = join(work, 'revision');
  await cp(app.dir, revision, { recursive: true });
  await writeFile(
    join(revision, 'appspec.yml'),
    'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv/bench-app\n',
  );
  const server = await startLocalCodeDeploy({ port: 0, stateDir: join(work, 'state') });
  const env = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  };
  const codeDeploy = new CodeDeployClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    forcePathStyle: true,
  });
  const results: Array<Record<string, number | string>> = [];
  try {
    for (const format of ['zip', 'tgz'] as const) {
      const fleet = await provisionFleet(
        { codeDeploy, s3 },
        { application: `bench-plan-${format}`, instances: 1 },
      );
      const target = ['--application', fleet.application, '--deployment-group', fleet.deploymentGroup];
      const location = ['--s3-location', `s3://${fleet.bucket}/${fleet.application}`, '--format', format];
      log(`deploying the tree as a ${format} (the live revision)`);
      await writeFile(join(revision, 'RELEASE'), 'live\n');
      const deployed = await run(['deploy', revision, ...target, ...location, '--poll-interval', '1s'], env);
      if (deployed.code !== 0) throw new Error(`deploy exited ${deployed.code}:\n${deployed.output}`);
      await writeFile(join(revision, 'RELEASE'), 'planned\n');
      await writeFile(join(revision, 'CHANGES'), `planned at ${new Date().toISOString()}\n`);
      const times: number[] = [];
      let plan: {
        live?: { bytesDownloaded?: number; size?: number };
        files?: { unchanged: number; added: number; changed: number };
      } = {};
      for (let i = 0; i < RUNS; i++) {
        const file = join(work, `plan-${format}.json`);
        const planned = await run(['plan', revision, ...target, ...location, '--report-json', file], env);
        if (planned.code !== 0) throw new Error(`plan exited ${planned.code}:\n${planned.output}`);
        times.push(planned.ms);
        plan = JSON.parse(await readFile(file, 'utf8'));
      }
      const downloaded = plan.live?.bytesDownloaded ?? 0;
      const size = plan.live?.size ?? 0;
      const result = {
        format,
        unchanged: plan.files?.unchanged ?? 0,
        changed: (plan.files?.changed ?? 0) + (plan.files?.added ?? 0),
        bundleBytes: size,
        bytesDownloaded: downloaded,
        percent: Number(((100 * downloaded) / size).toFixed(2)),
        medianMs: Math.round(median(times)),
        runs: times.length,
      };
      results.push(result);
      log(
        `${format}: listed the live bundle (${(size / 1e6).toFixed(1)} MB) from ${(downloaded / 1024).toFixed(1)} KiB (${result.percent} %); plan ${(result.medianMs / 1000).toFixed(2)} s (median of ${times.length})`,
      );
    }
  } finally {
    codeDeploy.destroy();
    s3.destroy();
    await server.close();
  }
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ machine, app: { files: app.files, bytes: app.bytes }, results }, null, 2)}\n`,
  );
  log(`results: ${RESULTS_FILE}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
