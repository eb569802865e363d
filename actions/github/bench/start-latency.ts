/**
 * Action start-up benchmark: how long after the runner starts `node dist/index.js` does the bundled
 * action put its first request on the wire, next to the AWS CLI a shell pipeline would start instead?
 * Goal: the action's median at most 0.4x the CLI's, with `dist/` under 2 MB. Both talk to a local
 * endpoint that refuses every request, so each run ends after one. A measurement, not a test: it exits
 * non-zero only when the harness itself fails (e.g. no request within 10 s).
 *
 *   pnpm bench                                      (from the repo root, through turbo, which builds first)
 *   cd actions/github && BENCH_QUICK=1 pnpm bench   (7 runs each instead of 21, no build)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describeMachine } from '@codedeploy-gate/test-support';
import {
  actionContender,
  type Contender,
  cliContender,
  directCliContender,
  findOnPath,
} from './contenders.js';
import { type FirstRequestServer, startFirstRequestServer } from './first-request-server.js';

const QUICK = process.env.BENCH_QUICK === '1';
const WARMUP_RUNS = 3;
const RUNS = QUICK ? 7 : 21;
const GOAL_RATIO = 0.4;
/** 2 MB in decimal bytes, as the issue writes it. */
const GOAL_DIST_BYTES = 2_000_000;
const FIRST_REQUEST_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 30_000;

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(PACKAGE_DIR, '../..');
const DIST_DIR = join(PACKAGE_DIR, 'dist');
const ACTION_ENTRY = join(DIST_DIR, 'index.js');
const ACTION_YML = join(PACKAGE_DIR, 'action.yml');
const WORK_DIR = join(REPO_ROOT, 'bench', '.work');
const RESULTS_FILE = join(WORK_DIR, 'start-latency.json');

const log = (line: string) => console.log(`[bench] ${line}`);

interface Run {
  contender: Contender['id'];
  warmup: boolean;
  /** Spawn to the first request's arrival, in ms. */
  firstRequestMs: number;
  /** Spawn to the process's exit, in ms. */
  exitMs: number;
  exitCode: number | null;
  operation: string;
  /** Requests the endpoint answered during the run: 1 unless the contender retried. */
  requests: number;
}

interface Summary {
  contender: Contender['id'];
  label: string;
  command: string;
  runs: number;
  firstRequestMs: { median: number; p10: number; p90: number; min: number; max: number };
  exitMedianMs: number;
  operations: string[];
  exitCodes: (number | null)[];
}

/** Percentile by linear interpolation between closest ranks (numpy's default). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = sorted[Math.floor(rank)] ?? 0;
  const high = sorted[Math.ceil(rank)] ?? low;
  return low + (high - low) * (rank - Math.floor(rank));
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function summarize(contender: Contender, runs: readonly Run[]): Summary {
  const times = runs.map((r) => r.firstRequestMs);
  return {
    contender: contender.id,
    label: contender.label,
    command: contender.command,
    runs: runs.length,
    firstRequestMs: {
      median: round1(percentile(times, 0.5)),
      p10: round1(percentile(times, 0.1)),
      p90: round1(percentile(times, 0.9)),
      min: round1(Math.min(...times)),
      max: round1(Math.max(...times)),
    },
    exitMedianMs: round1(
      percentile(
        runs.map((r) => r.exitMs),
        0.5,
      ),
    ),
    operations: [...new Set(runs.map((r) => r.operation))],
    exitCodes: [...new Set(runs.map((r) => r.exitCode))],
  };
}

/** Keeps the last few KiB a child printed, to show when it misbehaves. */
function captureTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

async function runOnce(
  contender: Contender,
  server: FirstRequestServer,
  warmup: boolean,
): Promise<Run & { output: string }> {
  const firstRequest = server.nextRequest(FIRST_REQUEST_TIMEOUT_MS);
  // A rejection we stop waiting for (the child died first) must not surface as unhandled.
  firstRequest.catch(() => {});
  const spawnedAt = performance.now();
  const child = spawn(contender.file, contender.args, {
    env: contender.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureTail(child);
  const exited = new Promise<{ code: number | null; atMs: number }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, atMs: performance.now() }));
  });
  const failed = (what: string) =>
    new Error(`${contender.label}: ${what}\n--- its output (tail) ---\n${output() || '(nothing)'}`);

  let first: Awaited<typeof firstRequest>;
  try {
    first = await Promise.race([
      firstRequest,
      exited.then(({ code }) => {
        throw new Error(`exited with ${code} before any request`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw failed(error instanceof Error ? error.message : String(error));
  }

  const exitTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const exit = await exited.finally(() => clearTimeout(exitTimer));
  if (exit.code === null)
    throw failed(`did not exit within ${EXIT_TIMEOUT_MS / 1000} s of its first request`);
  return {
    contender: contender.id,
    warmup,
    firstRequestMs: round1(first.atMs - spawnedAt),
    exitMs: round1(exit.atMs - spawnedAt),
    exitCode: exit.code,
    operation: first.operation,
    requests: server.requestsSinceArm(),
    output: output(),
  };
}

async function distFiles(): Promise<{ path: string; bytes: number }[]> {
  if (!existsSync(DIST_DIR)) return [];
  const files: { path: string; bytes: number }[] = [];
  for (const entry of await readdir(DIST_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ path: relative(PACKAGE_DIR, path), bytes: (await stat(path)).size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The bundle is measured as built; a bundle older than the action's sources is measured anyway. */
async function warnIfStale(): Promise<void> {
  const builtAt = (await stat(ACTION_ENTRY)).mtimeMs;
  const sources = join(PACKAGE_DIR, 'src');
  for (const entry of await readdir(sources, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue;
    if ((await stat(join(entry.parentPath, entry.name))).mtimeMs > builtAt) {
      log(
        `warning: src/${entry.name} is newer than dist/index.js; measuring the last build (pnpm bench rebuilds it)`,
      );
      return;
    }
  }
}

/** The shared machine description, plus the AWS CLI's version (the comparison's other half). */
function describeBenchMachine(aws: string | undefined) {
  const awsVersion = aws
    ? spawnSync(aws, ['--version'], { encoding: 'utf8' }).stdout.trim() || 'unknown'
    : 'not installed';
  return { ...describeMachine(), aws: awsVersion };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Action median / CLI median: against `aws` on PATH (the goal's), and against the unshimmed CLI if measured. */
interface Ratios {
  cli?: number;
  cliDirect?: number;
}

function ratiosOf(summaries: readonly Summary[]): Ratios {
  const median = (id: Contender['id']) => summaries.find((s) => s.contender === id)?.firstRequestMs.median;
  const action = median('action');
  const ratio = (id: Contender['id']) => {
    const cli = median(id);
    return action === undefined || cli === undefined ? undefined : Math.round((action / cli) * 1000) / 1000;
  };
  const ratios: Ratios = {};
  const cli = ratio('cli');
  const cliDirect = ratio('cli-direct');
  if (cli !== undefined) ratios.cli = cli;
  if (cliDirect !== undefined) ratios.cliDirect = cliDirect;
  return ratios;
}

function renderMarkdown(
  machine: ReturnType<typeof describeBenchMachine>,
  summaries: Summary[],
  notes: string[],
  ratios: Ratios,
  distBytes: number,
): string {
  const rows = summaries.map(
    (s) =>
      `| ${s.label} | ${s.runs} | ${ms(s.firstRequestMs.median)} | ${ms(s.firstRequestMs.p10)} | ` +
      `${ms(s.firstRequestMs.p90)} | ${ms(s.firstRequestMs.min)} | ${ms(s.firstRequestMs.max)} | ` +
      `${ms(s.exitMedianMs)} | ${s.operations.join(', ')} | ${s.exitCodes.join(', ')} |`,
  );
  const mark = (met: boolean) => (met ? 'met' : '**missed**');
  return [
    '## Action start-up benchmark',
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os}, ` +
      `Node ${machine.node}, ${machine.aws}; load average ${machine.loadAtStart} at start`,
    `- ${WARMUP_RUNS} warm-up runs each (discarded), then ${RUNS} runs each, interleaved; spawn → first request.`,
    ...summaries.map((s) => `- ${s.label}: \`${s.command}\``),
    '',
    '| contender | runs | median | p10 | p90 | min | max | to exit (median) | first request | exit code |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
    ratios.cli === undefined
      ? 'Ratio action/CLI: not measured.'
      : `Ratio of medians, action / CLI (\`aws\` on PATH): **${ratios.cli.toFixed(3)}×** (goal ≤ ${GOAL_RATIO}×: ${mark(ratios.cli <= GOAL_RATIO)}).`,
    ratios.cliDirect === undefined
      ? ''
      : `Against the CLI without the pyenv shim: ${ratios.cliDirect.toFixed(3)}× (${mark(ratios.cliDirect <= GOAL_RATIO)} at ≤ ${GOAL_RATIO}×).`,
    distBytes > 0
      ? `dist/: ${distBytes.toLocaleString('en-US')} bytes (goal < ${GOAL_DIST_BYTES.toLocaleString('en-US')}: ${mark(distBytes < GOAL_DIST_BYTES)}).`
      : 'dist/: not built.',
    ...notes.map((note) => `\n${note}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const began = performance.now();
  const aws = findOnPath('aws');
  const machine = describeBenchMachine(aws);
  if (machine.loadAtStart > 1.5) {
    log(`warning: load average ${machine.loadAtStart} at start; start-up times stretch on a busy machine`);
  }
  const scratch = join(WORK_DIR, 'start-latency');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const server = await startFirstRequestServer();
  try {
    await measure(server, machine, aws, scratch, began);
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function measure(
  server: FirstRequestServer,
  machine: ReturnType<typeof describeBenchMachine>,
  aws: string | undefined,
  scratch: string,
  began: number,
): Promise<void> {
  const notes: string[] = [];
  const contenders: Contender[] = [];
  if (existsSync(ACTION_ENTRY)) {
    await warnIfStale();
    contenders.push(await actionContender(ACTION_ENTRY, ACTION_YML, scratch, server.url));
  } else {
    notes.push('The action was not measured: dist/index.js is missing (`pnpm build` in actions/github).');
  }
  if (aws) {
    contenders.push(cliContender(aws, scratch, server.url));
    const direct = directCliContender(aws, scratch, server.url);
    if (direct) contenders.push(direct);
  } else {
    notes.push('The AWS CLI comparison was skipped: no `aws` on PATH.');
  }
  for (const note of notes) log(note);

  const runs: (Run & { output: string })[] = [];
  for (let round = 0; round < WARMUP_RUNS + RUNS; round++) {
    const warmup = round < WARMUP_RUNS;
    for (const contender of contenders) {
      const run = await runOnce(contender, server, warmup);
      runs.push(run);
      if (run.requests !== 1) log(`warning: ${contender.id} made ${run.requests} requests in one run`);
    }
    if (round === WARMUP_RUNS - 1) log('warm-up done');
  }

  const summaries = contenders.map((c) =>
    summarize(
      c,
      runs.filter((r) => r.contender === c.id && !r.warmup),
    ),
  );
  const ratios = ratiosOf(summaries);
  const files = await distFiles();
  const distBytes = files.reduce((sum, f) => sum + f.bytes, 0);

  console.log(`\n${renderMarkdown(machine, summaries, notes, ratios, distBytes)}\n`);
  const wallS = Math.round((performance.now() - began) / 100) / 10;
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: QUICK ? 'BENCH_QUICK=1 pnpm bench' : 'pnpm bench',
        quick: QUICK,
        wallS,
        machine,
        warmupRuns: WARMUP_RUNS,
        runsPerContender: RUNS,
        contenders: contenders.map(({ id, label, command, file, args }) => ({
          id,
          label,
          command,
          file,
          args,
        })),
        summaries,
        goal: { ratio: GOAL_RATIO, distBytes: GOAL_DIST_BYTES },
        ratios,
        dist: { bytes: distBytes, files },
        notes,
        // What each contender printed on its first measured run: evidence it stopped where expected.
        sampleOutput: Object.fromEntries(
          contenders.map((c) => [c.id, runs.find((r) => r.contender === c.id && !r.warmup)?.output ?? '']),
        ),
        runs: runs.map(({ output: _output, ...run }) => run),
      },
      null,
      2,
    )}\n`,
  );
  log(`results written to ${relative(REPO_ROOT, RESULTS_FILE)} (${wallS} s)`);
}

main().catch((error: unknown) => {
  console.error('[bench] the harness failed:', error);
  process.exitCode = 1;
});
