/**
 * Packaging benchmark: our bundle writer against `zip -qr` and the zipfile loop of `aws deploy push`
 * on an ≈ 80 MB Node application, then our writer's peak RSS on an ≈ 1 GiB tree.
 * A measurement, not a test: it exits non-zero only when the harness itself fails.
 *
 *   pnpm bench                      (from the repo root, through turbo)
 *   BENCH_QUICK=1 pnpm --filter @codedeploy-gate/core bench   (skips the 1 GiB tree)
 *   BENCH_ONLY=cli pnpm --filter @codedeploy-gate/core bench  (only the figures through the CLI)
 */
import { mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CLI_PACKAGE,
  cliProblem,
  type PackagingCommand,
  type PairedFigures,
  packagingPairs,
  repushThroughCli,
} from './cli-runs.js';
import {
  AWS_PUSH,
  AWS_PUSH_PYTHON,
  BUILT_BUNDLE_MODULE,
  type Contender,
  type Measurement,
  measure,
  OURS,
  type Outcome,
  PACK_CHILD,
  PACK_CHILD_FILE,
  ZIP_QR,
} from './contenders.js';
import { ensureAppFixture, ensureBigTree, freeDisk, MIN_FREE_DISK, type TreeInfo } from './fixture.js';
import { describeMachine, type Machine } from './machine.js';
import { hasGnuTime } from './measure.js';
import { PACKAGE_DIR, WORK_DIR } from './paths.js';
import { commandLines, machineLines, mebibytes, rss, seconds, table, verificationLines } from './report.js';
import { verifyOutput } from './verify.js';
import { type LevelTable, measureLevels } from './zlib-levels.js';

const RUNS = 3;
const BIG_RUNS = 2;
/** Interleaved pairs (zip -qr, ours): re-push, and packaging idle and beside a CPU burner. */
const REPUSH_PAIRS = 5;
const PACKAGING_PAIRS = 3;

/** Our writer alone (createBundle from dist/, in a Node process of its own), for the pairs. */
const PACK_CHILD_PAIR: PackagingCommand = {
  what: 'codedeploy-gate createBundle (pack-child)',
  command: ['node', PACK_CHILD_FILE, BUILT_BUNDLE_MODULE, '<tree>', '<out>', 'zip'],
  display: 'node bench/.work/pack-child.mjs packages/core/dist/bundle/index.js <tree> <out> zip',
};
const RSS_GOAL_KIB = 128 * 1024;

const log = (line: string) => console.log(`[bench] ${line}`);

/** Reads every file once so that no contender pays for a cold page cache the others do not. */
async function warmPageCache(dir: string): Promise<void> {
  const buffer = Buffer.alloc(1024 * 1024);
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) {
        const handle = await open(child, 'r');
        while ((await handle.read(buffer, 0, buffer.length)).bytesRead > 0);
        await handle.close();
      }
    }
  };
  await walk(dir);
}

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/**
 * Our packager is measured from dist/, as the CLI runs it. Returns why it cannot be, or undefined;
 * a dist/ older than src/ is measured anyway, with a warning.
 */
async function builtPackagerProblem(): Promise<string | undefined> {
  const built = await stat(BUILT_BUNDLE_MODULE).catch(() => undefined);
  if (built === undefined) {
    return `${BUILT_BUNDLE_MODULE} is not built: run \`pnpm --filter @codedeploy-gate/core build\` (pnpm bench builds it)`;
  }
  if ((await newestSource(join(PACKAGE_DIR, 'src'))) > built.mtimeMs) {
    log('warning: dist/ is older than src/; measuring the last build (pnpm bench rebuilds it first)');
  }
  return undefined;
}

async function measureAll(
  contenders: Contender[],
  tree: TreeInfo,
  runs: number,
  outDir: string,
  unavailable: string | undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const contender of contenders) {
    log(`${contender.tool} (${contender.format}), ${runs} run(s) on ${tree.dir}`);
    if (unavailable !== undefined && contender.needsBuild === true) {
      log(`  writer not available: ${unavailable}`);
      outcomes.push({ tool: contender.tool, format: contender.format, tree: tree.dir, unavailable });
      continue;
    }
    const outcome = await measure(contender, tree.dir, outDir, runs);
    if ('unavailable' in outcome) {
      log(`  writer not available: ${outcome.unavailable.split('\n')[0]}`);
    } else {
      log(
        `  median ${seconds(outcome.medianMs)}, ${mebibytes(outcome.outputBytes)}, RSS ${rss(outcome.peakRssKiB)}`,
      );
      outcome.verification = await verifyOutput(outcome, tree.files);
      if (!outcome.verification.ok) {
        log(`  warning: the output failed verification: ${outcome.verification.problem}`);
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

type BigTreeResult =
  | { skipped: string }
  | {
      tree: TreeInfo;
      outcomes: Outcome[];
      baseline: Measurement | undefined;
      goalMet: boolean | null;
      cli: PairedFigures | { unavailable: string };
    };

/** The memory check: our zip writer (and zip -qr for scale) on the ≈ 1 GiB tree. */
async function measureBigTree(
  app: TreeInfo,
  outDir: string,
  packagerProblem: string | undefined,
): Promise<BigTreeResult> {
  if (process.env.BENCH_QUICK === '1') return { skipped: 'BENCH_QUICK=1' };
  const free = await freeDisk(WORK_DIR);
  if (free < MIN_FREE_DISK) return { skipped: `only ${mebibytes(free)} free on ${WORK_DIR}, 5 GiB needed` };
  const tree = await ensureBigTree(app, log);
  await warmPageCache(tree.dir);
  // Its outputs are large: measure, then free the space.
  const bigOut = join(outDir, 'big');
  await mkdir(bigOut, { recursive: true });
  // Past 256 MiB the default is one thread (flat memory); two threads show what speed costs in memory.
  const outcomes = await measureAll(
    [ZIP_QR, OURS.zip, OURS.zipTwoThreads],
    tree,
    BIG_RUNS,
    bigOut,
    packagerProblem,
  );
  const problem = cliProblem();
  log('codedeploy-gate package through the CLI on the memory tree, 1 pair');
  const cli = problem ?? (await packagingPairs(CLI_PACKAGE, tree.dir, bigOut, 1, 'idle'));
  await rm(bigOut, { recursive: true, force: true });
  const ours = outcomes.find((outcome) => outcome.tool === OURS.zip.tool);
  return {
    tree,
    outcomes,
    baseline: outcomes.find((outcome): outcome is Measurement => outcome.tool === ZIP_QR.tool),
    goalMet: ours === undefined || 'unavailable' in ours ? null : (ours.peakRssKiB ?? 0) < RSS_GOAL_KIB,
    cli: typeof cli === 'string' ? { unavailable: cli } : cli,
  };
}

interface CliResults {
  repush: PairedFigures;
  packaging: PairedFigures[];
}

/** The figures users see: the CLI process, in pairs with zip -qr (cli-runs.ts). */
async function measureCli(app: TreeInfo, outDir: string): Promise<CliResults | { unavailable: string }> {
  const problem = cliProblem();
  if (problem !== undefined) {
    log(`CLI not measured: ${problem}`);
    return { unavailable: problem };
  }
  log(`unchanged re-push through the CLI, ${REPUSH_PAIRS} pairs with zip -qr`);
  const repush = await repushThroughCli(app.dir, outDir, REPUSH_PAIRS);
  log(
    `  re-push ${seconds(repush.oursMedianMs)} vs zip ${seconds(repush.zipMedianMs)}: ${repush.ratio.toFixed(2)}×`,
  );
  const packaging: PairedFigures[] = [];
  for (const load of ['idle', 'burner'] as const) {
    for (const ours of [CLI_PACKAGE, PACK_CHILD_PAIR]) {
      log(`${ours.what}, ${load}, ${PACKAGING_PAIRS} pairs with zip -qr`);
      const figures = await packagingPairs(ours, app.dir, outDir, PACKAGING_PAIRS, load);
      log(`  ${figures.ratio.toFixed(2)}×, peak RSS ${rss(figures.peakRssKiB)}`);
      packaging.push(figures);
    }
  }
  return { repush, packaging };
}

function pairedRow(figures: PairedFigures): string {
  return (
    `| ${figures.what} | ${figures.load}; load average ${figures.loadAverage.map((l) => l.toFixed(1)).join(' → ')} | ` +
    `${figures.pairs.length} | ${seconds(figures.oursMedianMs)} | ` +
    `${seconds(figures.zipMedianMs)} | **${figures.ratio.toFixed(2)}×** | ${rss(figures.peakRssKiB)} |`
  );
}

function cliLines(cli: CliResults | { unavailable: string }): string[] {
  if ('unavailable' in cli) return ['### Through the CLI: not measured', '', cli.unavailable];
  return [
    `### Through the CLI, in interleaved pairs with zip -qr`,
    '',
    'Each pair runs `cd <tree> && zip -qr <out> .`, then our command, both as whole processes (Node ' +
      'start-up and module loading included); the ratio is the median of the per-pair ratios. Peak RSS: ' +
      'GNU time on the CLI process.',
    '',
    '| command | load during the run | pairs | ours (median) | zip -qr (median) | ours / zip | peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|',
    pairedRow(cli.repush),
    ...cli.packaging.map(pairedRow),
    '',
    `Upload requests (PUT, POST) during the ${cli.repush.pairs.length} re-pushes: ${cli.repush.uploads}; ` +
      `files read by a re-push to fingerprint the tree: ${cli.repush.filesRead} (the content-hash cache, ` +
      'in a folder of its own emptied before the first push, has the others).',
    '',
    `- re-push: \`${cli.repush.command}\` against a local S3 (the s3-emulator) and CodeDeploy stub, after one first push`,
    ...cli.packaging.slice(0, 2).map((figures) => `- ${figures.what}: \`${figures.command}\``),
    "- The CPU burner is `node -e 'for (;;) {}'`, started before the pairs and killed after them.",
  ];
}

function levelLines(levels: LevelTable): string[] {
  const base = levels.rows.find((row) => row.level === 6 && row.strategy === 'default');
  return [
    `### Deflate levels and strategies, one thread (${levels.files} files, ${mebibytes(levels.inputBytes)}; ${levels.storedFiles} stored-type files, ${mebibytes(levels.storedBytes)}, left out)`,
    '',
    '| level | strategy | CPU (median) | output | CPU vs level 6 | output vs level 6 |',
    '|---:|---|---:|---:|---:|---:|',
    ...levels.rows.map(
      (row) =>
        `| ${row.level} | ${row.strategy} | ${seconds(row.cpuMs)} | ${mebibytes(row.bytes)} | ` +
        `${base ? (row.cpuMs / base.cpuMs).toFixed(2) : 'n/a'}× | ${base ? (row.bytes / base.bytes).toFixed(3) : 'n/a'}× |`,
    ),
    '',
    `Each file deflated on its own with \`deflateRawSync\` (as the writer does), ${levels.runs} runs, CPU time of the process.`,
  ];
}

function renderMarkdown(
  machine: Machine,
  app: TreeInfo,
  appOutcomes: Outcome[],
  big: BigTreeResult,
  cli: CliResults | { unavailable: string },
  levels: LevelTable,
): string {
  const baseline = appOutcomes.find((outcome): outcome is Measurement => outcome.tool === ZIP_QR.tool);
  const lines = [
    '## Packaging benchmark',
    '',
    machineLines(machine),
    '',
    `### ${app.files} files, ${mebibytes(app.bytes)} (Node application with node_modules), ${RUNS} runs each`,
    '',
    table(appOutcomes, baseline),
    '',
    'Page cache warm. Wall for zip and python is the whole process; for createBundle it is the call, ' +
      'as the child reports it (Node start-up and module loading, about 0.1 s, are in `processMs` in the JSON). ' +
      'Peak RSS: GNU time for zip and python, `process.resourceUsage().maxRSS` for createBundle.',
    '',
    verificationLines(appOutcomes, app.files),
    '',
    'Commands (`<tree>` is the fixture, `<out>` the output file, removed before every run):',
    '',
    commandLines(appOutcomes),
    '',
    '```python',
    '# $AWS_PUSH_PYTHON',
    AWS_PUSH_PYTHON,
    '```',
    '',
    '```js',
    '// bench/.work/pack-child.mjs',
    PACK_CHILD,
    '```',
    '',
    ...cliLines(cli),
    '',
    ...levelLines(levels),
    '',
  ];
  if ('skipped' in big) {
    lines.push(`### 1 GiB tree: skipped (${big.skipped})`);
  } else {
    const goal =
      big.goalMet === null
        ? 'writer not available'
        : `createBundle peak RSS ${big.goalMet ? 'under' : 'over'} 128 MiB: goal ${big.goalMet ? 'met' : 'missed'}.`;
    lines.push(
      `### ${big.tree.files} files, ${mebibytes(big.tree.bytes)}: memory check, ${BIG_RUNS} runs each`,
      '',
      table(big.outcomes, big.baseline),
      '',
      goal,
      '',
      'unavailable' in big.cli
        ? `CLI not measured: ${big.cli.unavailable}`
        : `Through the CLI (\`${big.cli.command}\`, GNU time): peak RSS ${rss(big.cli.peakRssKiB)}, ` +
            `${seconds(big.cli.oursMedianMs)} (zip -qr ${seconds(big.cli.zipMedianMs)} in the same pair, ${big.cli.ratio.toFixed(2)}×).`,
      '',
      verificationLines(big.outcomes, big.tree.files),
    );
  }
  return lines.join('\n');
}

/**
 * BENCH_ONLY=cli: the figures through the CLI alone (re-push, packaging idle and with the burner,
 * peak RSS on both trees), for a quick re-measure; results in results-cli.json.
 */
async function cliOnly(machine: Machine, app: TreeInfo, outDir: string): Promise<void> {
  const cli = await measureCli(app, outDir);
  const lines = ['## Packaging benchmark (BENCH_ONLY=cli)', '', machineLines(machine), '', ...cliLines(cli)];
  let big: PairedFigures | undefined;
  const problem = cliProblem();
  if (
    process.env.BENCH_QUICK !== '1' &&
    problem === undefined &&
    (await freeDisk(WORK_DIR)) >= MIN_FREE_DISK
  ) {
    const tree = await ensureBigTree(app, log);
    await warmPageCache(tree.dir);
    const bigOut = join(outDir, 'big');
    await mkdir(bigOut, { recursive: true });
    log('codedeploy-gate package through the CLI on the memory tree, 1 pair');
    big = await packagingPairs(CLI_PACKAGE, tree.dir, bigOut, 1, 'idle');
    await rm(bigOut, { recursive: true, force: true });
    lines.push(
      '',
      `Memory tree (${tree.files} files, ${mebibytes(tree.bytes)}), \`${big.command}\`, GNU time: peak RSS ` +
        `${rss(big.peakRssKiB)}, ${seconds(big.oursMedianMs)} (zip -qr ${seconds(big.zipMedianMs)}, ${big.ratio.toFixed(2)}×; ` +
        `load average ${big.loadAverage.map((l) => l.toFixed(1)).join(' → ')}).`,
    );
  }
  const markdown = lines.join('\n');
  console.log(`\n${markdown}\n`);
  const resultsFile = join(WORK_DIR, 'results-cli.json');
  await writeFile(
    resultsFile,
    `${JSON.stringify({ date: new Date().toISOString(), machine, cli, big, markdown }, null, 2)}\n`,
  );
  log(`results written to ${resultsFile}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  await mkdir(WORK_DIR, { recursive: true });
  const outDir = join(WORK_DIR, 'out');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  if (!hasGnuTime) log('/usr/bin/time not found: peak RSS of zip and python is not measured');

  const machine = describeMachine();
  const app = await ensureAppFixture(log);
  log(`application tree: ${app.files} files, ${mebibytes(app.bytes)}${app.built ? '' : ' (reused)'}`);
  await warmPageCache(app.dir);

  const packagerProblem = await builtPackagerProblem();
  await writeFile(PACK_CHILD_FILE, `${PACK_CHILD}\n`);
  if (process.env.BENCH_ONLY === 'cli') {
    await cliOnly(machine, app, outDir);
    return;
  }
  const contenders = [ZIP_QR, AWS_PUSH, OURS.zip, OURS.tar, OURS.tgz];
  const appOutcomes = await measureAll(contenders, app, RUNS, outDir, packagerProblem);
  const cli = await measureCli(app, outDir);
  log('deflate levels and strategies on one thread');
  const levels = await measureLevels(app.dir);
  const big = await measureBigTree(app, outDir, packagerProblem);

  const markdown = renderMarkdown(machine, app, appOutcomes, big, cli, levels);
  console.log(`\n${markdown}\n`);
  const resultsFile = join(WORK_DIR, 'results-packaging.json');
  const results = {
    date: new Date().toISOString(),
    machine,
    app: { files: app.files, bytes: app.bytes, runs: RUNS, outcomes: appOutcomes },
    big:
      'skipped' in big
        ? big
        : {
            files: big.tree.files,
            bytes: big.tree.bytes,
            runs: BIG_RUNS,
            outcomes: big.outcomes,
            goalMet: big.goalMet,
            cli: big.cli,
          },
    cli,
    levels,
    awsPushPython: AWS_PUSH_PYTHON,
    packChild: PACK_CHILD,
    markdown,
    harnessSeconds: (performance.now() - started) / 1000,
  };
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${resultsFile} (${seconds(performance.now() - started)} in all)`);
}

main().catch((error: unknown) => {
  console.error('[bench] harness error:', error);
  process.exitCode = 1;
});
