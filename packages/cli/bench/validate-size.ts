/**
 * Validation size benchmark: how long does `codedeploy-gate validate` take, and how much memory, on
 * AppSpecs of 1, 5 and 16 MiB (the size cap)? Each run is the command users run, a fresh process
 * (`node packages/cli/bin/codedeploy-gate.js validate FILE`), timed from spawn to exit with peak RSS and
 * CPU from GNU time. Runs of every file and contender take turns. A measurement, not a test: it exits
 * non-zero only when the harness itself fails.
 *
 *   pnpm bench                                                   (from the repo root, through turbo)
 *   BENCH_QUICK=1 pnpm --filter @codedeploy-gate/cli bench:validate   (one run each)
 *   BENCH_BASELINE_CLI=/path/to/other/packages/cli/bin/codedeploy-gate.js pnpm --filter ... bench:validate
 *     (adds that build as a contender, stopped after BENCH_BASELINE_TIMEOUT_S seconds, default 120,
 *      and compares the problems both report)
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describeMachine, type Machine, machineLine } from '@codedeploy-gate/test-support';
import { type GeneratedAppspec, generateAppspec, generateDenseFiles } from './appspec-generator.js';
import { median } from './report.js';
import { warnIfStale } from './stale-build.js';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 5;
const SIZES_MIB = [1, 5, 16];
/** The goal of the issue, for every size up to the cap. */
const GOAL_S = 2;
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;
const BASELINE_TIMEOUT_S = Number(process.env.BENCH_BASELINE_TIMEOUT_S ?? 120);

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(CLI_DIR, '../..');
const WORK_DIR = join(REPO_ROOT, 'bench', '.work', 'validate-size');
const RESULTS_FILE = join(REPO_ROOT, 'bench', '.work', 'validate-size.json');
const OUR_CLI = join(CLI_DIR, 'bin', 'codedeploy-gate.js');
const TIME = '/usr/bin/time';

const log = (line: string) => console.log(`[bench] ${line}`);

interface Fixture {
  shape: 'mixed' | 'dense';
  mib: number;
  file: string;
  bytes: number;
  generated: Omit<GeneratedAppspec, 'text'>;
}

interface Contender {
  id: 'ours' | 'baseline';
  label: string;
  bin: string;
  timeoutS: number;
}

interface Run {
  contender: Contender['id'];
  shape: Fixture['shape'];
  mib: number;
  round: number;
  wallS: number;
  /** User plus system CPU of the process, from GNU time (undefined without it). */
  cpuS: number | undefined;
  peakRssMiB: number | undefined;
  exitCode: number | null;
  timedOut: boolean;
  /** The CLI's last line: "N errors, M warnings in FILE". */
  summary: string;
}

async function writeFixtures(): Promise<Fixture[]> {
  await mkdir(WORK_DIR, { recursive: true });
  const fixtures: Fixture[] = [];
  for (const mib of SIZES_MIB) {
    for (const shape of ['mixed', 'dense'] as const) {
      const bytes = mib * 1024 * 1024;
      const { text, ...generated } =
        shape === 'mixed' ? generateAppspec(bytes, mib) : generateDenseFiles(bytes, mib);
      const file = join(WORK_DIR, `appspec-${shape}-${mib}mib.yml`);
      await writeFile(file, text);
      fixtures.push({ shape, mib, file, bytes: Buffer.byteLength(text), generated });
    }
  }
  return fixtures;
}

/** Runs one validate under GNU time (when present) with stdout to a file, as a CI log would take it. */
async function runOnce(contender: Contender, fixture: Fixture, round: number): Promise<Run> {
  const outFile = join(WORK_DIR, `out-${contender.id}-${fixture.shape}-${fixture.mib}.txt`);
  const metricsFile = join(WORK_DIR, `time-${contender.id}.txt`);
  const withTime = hasGnuTime();
  const command = withTime ? TIME : process.execPath;
  const args = [
    ...(withTime ? ['-f', '%e %U %S %M', '-o', metricsFile, process.execPath] : []),
    contender.bin,
    'validate',
    fixture.file,
  ];
  const out = openSync(outFile, 'w');
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', out, 'inherit'], detached: true });
  closeSync(out);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, contender.timeoutS * 1000);
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done(code));
  });
  clearTimeout(timer);
  const wallS = (performance.now() - started) / 1000;
  let cpuS: number | undefined;
  let peakRssMiB: number | undefined;
  if (withTime && !timedOut) {
    const fields = (await readFile(metricsFile, 'utf8')).trim().split('\n').at(-1)?.split(' ').map(Number);
    if (fields !== undefined && fields.length === 4) {
      cpuS = (fields[1] ?? 0) + (fields[2] ?? 0);
      peakRssMiB = (fields[3] ?? 0) / 1024;
    }
  }
  const summary = timedOut ? '' : ((await readFile(outFile, 'utf8')).trim().split('\n').at(-1) ?? '');
  return {
    contender: contender.id,
    shape: fixture.shape,
    mib: fixture.mib,
    round,
    wallS,
    cpuS,
    peakRssMiB,
    // GNU time exits with the command's status.
    exitCode: timedOut ? null : exitCode,
    timedOut,
    summary: summary.replace(` in ${fixture.file}`, ''),
  };
}

let gnuTime: boolean | undefined;
function hasGnuTime(): boolean {
  gnuTime ??= spawnSync(TIME, ['-f', '%M', 'true']).status === 0;
  return gnuTime;
}

/** Both contenders' `--json` problems for one file, when the baseline finishes in time. */
async function sameProblems(baseline: Contender, fixture: Fixture): Promise<boolean | undefined> {
  const problemsOf = async (contender: Contender) => {
    const outFile = join(WORK_DIR, `json-${contender.id}-${fixture.shape}-${fixture.mib}.json`);
    const out = openSync(outFile, 'w');
    const child = spawn(process.execPath, [contender.bin, 'validate', '--json', fixture.file], {
      stdio: ['ignore', out, 'inherit'],
      detached: true,
    });
    closeSync(out);
    const timer = setTimeout(
      () => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'),
      contender.timeoutS * 1000,
    );
    const code = await new Promise<number | null>((done) => child.on('exit', (exit) => done(exit)));
    clearTimeout(timer);
    if (code === null) return undefined;
    return (JSON.parse(await readFile(outFile, 'utf8')) as { problems: unknown[] }).problems;
  };
  const theirs = await problemsOf(baseline);
  if (theirs === undefined) return undefined;
  return isDeepStrictEqual(await problemsOf(ours), theirs);
}

const ours: Contender = {
  id: 'ours',
  label: 'codedeploy-gate validate (this tree)',
  bin: OUR_CLI,
  timeoutS: 600,
};

const seconds = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)} s`);
const mebibytes = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} MiB`);
const medianOf = (values: (number | undefined)[]) => {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : median(known);
};

function renderMarkdown(
  machine: Machine,
  fixtures: Fixture[],
  contenders: Contender[],
  runs: Run[],
  same: Map<Fixture, boolean | undefined>,
) {
  const rows = [
    '| AppSpec | size | files / permissions / scripts | command | problems | wall median | wall min | CPU median | peak RSS median | < 2 s |',
    '| ------- | ---: | ----------------------------: | ------- | -------- | ----------: | -------: | ---------: | --------------: | ----- |',
  ];
  for (const fixture of fixtures) {
    for (const contender of contenders) {
      const mine = runs.filter(
        (r) => r.contender === contender.id && r.shape === fixture.shape && r.mib === fixture.mib,
      );
      const finished = mine.filter((r) => !r.timedOut);
      const wall = finished.length === mine.length ? medianOf(finished.map((r) => r.wallS)) : undefined;
      const wallText = finished.length < mine.length ? `> ${contender.timeoutS} s (stopped)` : seconds(wall);
      const { files, permissions, scripts } = fixture.generated;
      rows.push(
        `| ${fixture.shape} | ${(fixture.bytes / 1024 / 1024).toFixed(2)} MiB | ${files} / ${permissions} / ${scripts} | ${contender.label} | ${finished[0]?.summary ?? 'n/a'} | ${wallText} | ${seconds(finished.length === 0 ? undefined : Math.min(...finished.map((r) => r.wallS)))} | ${seconds(medianOf(finished.map((r) => r.cpuS)))} | ${mebibytes(medianOf(finished.map((r) => r.peakRssMiB)))} | ${wall !== undefined && wall < GOAL_S ? 'met' : '**missed**'} |`,
      );
    }
  }
  const sameLines = [...same].map(
    ([fixture, result]) =>
      `- ${fixture.shape} ${fixture.mib} MiB: ${result === undefined ? 'baseline did not finish, not compared' : result ? 'same problems (`--json` problems deep-equal)' : '**different problems**'}`,
  );
  return [
    '## Validation size benchmark',
    '',
    machineLine(machine),
    `- ${RUNS} run(s) per file and command, taking turns; wall from spawn to exit, CPU (user + system) and peak RSS from GNU time.`,
    ...contenders.map(
      (c) => `- ${c.label}: \`node ${relative(REPO_ROOT, c.bin)} validate FILE\` (stdout to a file)`,
    ),
    '',
    ...rows,
    ...(sameLines.length > 0 ? ['', 'Problems compared with the baseline:', ...sameLines] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const began = performance.now();
  const machine = describeMachine();
  await warnIfStale('appspec', log);
  if (!hasGnuTime()) log(`warning: ${TIME} not found; CPU and peak RSS are not measured`);
  const fixtures = await writeFixtures();
  for (const f of fixtures)
    log(`${relative(REPO_ROOT, f.file)}: ${f.bytes} bytes, ${f.generated.files} files items`);
  const contenders: Contender[] = [ours];
  if (BASELINE_CLI !== undefined) {
    contenders.push({
      id: 'baseline',
      label: `baseline (${BASELINE_CLI})`,
      bin: resolve(BASELINE_CLI),
      timeoutS: BASELINE_TIMEOUT_S,
    });
  }
  const runs: Run[] = [];
  const stopped = new Set<string>();
  for (let round = 1; round <= RUNS; round++) {
    for (const fixture of fixtures) {
      for (const contender of contenders) {
        // A contender that ran out of time on a file is not run on it again: it would only time out again.
        const key = `${contender.id} ${fixture.file}`;
        if (stopped.has(key)) continue;
        const run = await runOnce(contender, fixture, round);
        if (run.timedOut) stopped.add(key);
        runs.push(run);
        log(
          `round ${round} ${contender.id} ${fixture.shape} ${fixture.mib} MiB: ${run.timedOut ? `stopped after ${contender.timeoutS} s` : `${run.wallS.toFixed(2)} s, ${mebibytes(run.peakRssMiB)}, exit ${run.exitCode}`}`,
        );
      }
    }
  }
  const same = new Map<Fixture, boolean | undefined>();
  const baseline = contenders.find((c) => c.id === 'baseline');
  if (baseline !== undefined) {
    for (const fixture of fixtures) {
      same.set(
        fixture,
        stopped.has(`baseline ${fixture.file}`) ? undefined : await sameProblems(baseline, fixture),
      );
    }
  }
  const markdown = renderMarkdown(machine, fixtures, contenders, runs, same);
  console.log(`\n${markdown}\n`);
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ machine, quick: QUICK, contenders, fixtures, runs, sameProblems: [...same].map(([f, s]) => ({ shape: f.shape, mib: f.mib, same: s ?? null })), seconds: (performance.now() - began) / 1000 }, null, 2)}\n`,
  );
  log(`results: ${relative(REPO_ROOT, RESULTS_FILE)} (${((performance.now() - began) / 1000).toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
