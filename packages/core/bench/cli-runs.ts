/**
 * The packaging figures as users see them: the `codedeploy-gate` CLI (packages/cli/bin, built) run as
 * a process of its own, beside `zip -qr`, in interleaved pairs (zip, ours, zip, ours, ...) so that a
 * change in the machine's load hits both alike; medians of the pairs.
 *
 * - re-push of an unchanged tree against a local S3 (the s3-emulator) and CodeDeploy stub, counting
 *   the upload requests it sends;
 * - `codedeploy-gate package` on an idle machine and with one core kept busy by a CPU burner process;
 * - peak RSS of `codedeploy-gate package` (GNU time), on the application and on the 1 GiB tree.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startCodeDeployStub, startS3Server } from '@codedeploy-gate/test-support';
import { HarnessError, median, type RunOutcome, runOnce } from './measure.js';
import { REPO_ROOT } from './paths.js';

export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'codedeploy-gate.js');
const CLI_DIST = join(REPO_ROOT, 'packages', 'cli', 'dist', 'index.js');
const ZIP = (out: string) => ['zip', '-qr', out, '.'];
const BUCKET = 'bench-bundles';
const APPLICATION = 'bench-app';

/** One pair's figures: wall ms of both, and of ours the peak RSS. */
export interface Pair {
  zipMs: number;
  oursMs: number;
  oursRssKiB: number | null;
}

export interface PairedFigures {
  what: string;
  /** The machine's state during the run, e.g. "idle" or "one core busy (CPU burner)". */
  load: string;
  command: string;
  pairs: Pair[];
  zipMedianMs: number;
  oursMedianMs: number;
  /** The 1-minute load average before the first pair and after the last one. */
  loadAverage: [number, number];
  /** Median of the per-pair ratios ours / zip. */
  ratio: number;
  /** Largest peak RSS of ours over the pairs, KiB. */
  peakRssKiB: number | null;
  /** Upload requests (PUT/POST) our runs sent, re-push only. */
  uploads?: number;
  /** Files the last re-push read to fingerprint the tree (`filesHashed`), re-push only. */
  filesRead?: number;
}

/** Why the CLI cannot be measured, or undefined. */
export function cliProblem(): string | undefined {
  if (!existsSync(CLI_DIST))
    return `${CLI_DIST} is not built: run \`pnpm --filter @codedeploy-gate/cli build\``;
  return undefined;
}

async function pairs(
  count: number,
  tree: string,
  outDir: string,
  ours: (run: number) => Promise<RunOutcome>,
): Promise<Pair[]> {
  const result: Pair[] = [];
  loadBefore = loadavg()[0] ?? 0;
  for (let run = 0; run < count; run++) {
    const zip = await runOnce(ZIP(join(outDir, 'zip.zip')), tree, join(outDir, 'zip.zip'));
    const mine = await ours(run);
    result.push({ zipMs: zip.processMs, oursMs: mine.processMs, oursRssKiB: mine.peakRssKiB });
  }
  await rm(join(outDir, 'zip.zip'), { force: true });
  return result;
}

/** The load average when the last {@link pairs} started. */
let loadBefore = 0;

function summarise(what: string, load: string, command: string, measured: Pair[]): PairedFigures {
  const rss = measured.map((p) => p.oursRssKiB).filter((v): v is number => v !== null);
  return {
    what,
    load,
    command,
    pairs: measured,
    loadAverage: [loadBefore, loadavg()[0] ?? 0],
    zipMedianMs: median(measured.map((p) => p.zipMs)),
    oursMedianMs: median(measured.map((p) => p.oursMs)),
    ratio: median(measured.map((p) => p.oursMs / p.zipMs)),
    peakRssKiB: rss.length === 0 ? null : Math.max(...rss),
  };
}

/** How ours is run in a packaging pair: the command (`<tree>`, `<out>` stand for them) and its display. */
export interface PackagingCommand {
  what: string;
  command: string[];
  display: string;
}

/** `codedeploy-gate package TREE --out OUT`, as users run it. */
export const CLI_PACKAGE: PackagingCommand = {
  what: 'codedeploy-gate package (CLI)',
  command: ['node', CLI_BIN, 'package', '<tree>', '--out', '<out>'],
  display: 'node packages/cli/bin/codedeploy-gate.js package <tree> --out <out>',
};

/**
 * Pairs of `zip -qr` and OURS on TREE, both whole processes timed (start-up included), peak RSS of
 * ours through GNU time; with `burner`, a CPU burner process keeps one core busy during every run.
 */
export async function packagingPairs(
  ours: PackagingCommand,
  tree: string,
  outDir: string,
  count: number,
  load: 'idle' | 'burner',
): Promise<PairedFigures> {
  const out = join(outDir, 'ours.zip');
  const command = ours.command.map((arg) => arg.replace('<tree>', tree).replace('<out>', out));
  const burner = load === 'burner' ? startBurner() : undefined;
  try {
    const measured = await pairs(count, tree, outDir, () => runOnce(command, REPO_ROOT, out));
    await rm(out, { force: true });
    const loadText =
      load === 'idle' ? 'no load added by the harness' : 'one core kept busy by a CPU burner process';
    return summarise(ours.what, loadText, ours.display, measured);
  } finally {
    burner?.kill('SIGKILL');
  }
}

/**
 * Re-push of an unchanged tree: one first push (which builds, uploads and records the fingerprint),
 * then pairs of `zip -qr` and the same push again, each a CLI process against a local S3 (the
 * s3-emulator) and CodeDeploy stub; every upload request (PUT, POST) of the re-pushes is counted.
 */
export async function repushThroughCli(tree: string, outDir: string, count: number): Promise<PairedFigures> {
  const s3 = await startS3Server({ buckets: [BUCKET] });
  const codeDeploy = await startCodeDeployStub({ applications: [APPLICATION] });
  // A content-hash cache of its own, empty before the first push, so that no earlier run warms it.
  const cache = join(outDir, 'content-cache');
  await rm(cache, { recursive: true, force: true });
  try {
    const env = {
      ...process.env,
      ...s3.env,
      ...codeDeploy.env,
      AWS_PROFILE: '',
      NO_COLOR: '1',
      XDG_CACHE_HOME: cache,
    };
    const push = [
      'node',
      CLI_BIN,
      'push',
      tree,
      '--application',
      APPLICATION,
      '--s3-location',
      `s3://${BUCKET}/app`,
    ];
    const marker = join(outDir, 'push.none');
    const first = await runOnce([...push, '--json'], REPO_ROOT, marker, env);
    if (JSON.parse(first.stdout.trim()).bundled !== true)
      throw new HarnessError('the first push built no bundle');
    const before = s3.requests.length;
    const measured = await pairs(count, tree, outDir, () => runOnce(push, REPO_ROOT, marker, env));
    const uploads = s3.requests.slice(before).filter((r) => r.method === 'PUT' || r.method === 'POST').length;
    const last = await runOnce([...push, '--json'], REPO_ROOT, marker, env);
    return {
      ...summarise(
        'codedeploy-gate push, unchanged tree (CLI)',
        'no load added by the harness',
        `node packages/cli/bin/codedeploy-gate.js push <tree> --application ${APPLICATION} --s3-location s3://${BUCKET}/app`,
        measured,
      ),
      uploads,
      filesRead: JSON.parse(last.stdout.trim()).filesHashed,
    };
  } finally {
    await rm(cache, { recursive: true, force: true });
    await s3.close();
    await codeDeploy.close();
  }
}

/** A process that keeps one core busy until killed. */
function startBurner(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  child.unref();
  return child;
}
