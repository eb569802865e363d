import { join } from 'node:path';
import { HarnessError, median, type RunOutcome, runOnce } from './measure.js';
import { PACKAGE_DIR, WORK_DIR } from './paths.js';
import type { Verification } from './verify.js';

export type Format = 'zip' | 'tar' | 'tgz';

/** One way of packaging a tree, described by the exact command the benchmark runs. */
export interface Contender {
  tool: string;
  format: Format;
  /** The command, with `<tree>` and `<out>` standing for the tree and the output file. */
  command: string[];
  /** Directory the command runs in (`<tree>` allowed). */
  cwd: string;
  /** Runs our packager from dist/, which must be built first. */
  needsBuild?: boolean;
  /** How the report shows the command when it is not the command itself (a multi-line script). */
  display?: string;
  /** Turns the child's stdout into the packaging time and peak RSS when the child reports them. */
  parse?: (stdout: string) => { ms: number; peakRssKiB: number } | { unavailable: string };
}

/**
 * What `aws deploy push` does (awscli customizations/codedeploy/push.py, `_compress`): os.walk, then
 * ZipFile(allowZip64=True) and zf.write(filename, arcname, ZIP_DEFLATED) for every file.
 */
export const AWS_PUSH_PYTHON = `import os, sys, zipfile
source, out = os.path.abspath(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(out, 'w', allowZip64=True) as zf:
    for root, dirs, files in os.walk(source, topdown=True):
        for fn in files:
            filename = os.path.abspath(os.path.join(root, fn))
            zf.write(filename, filename[len(source) + 1:], zipfile.ZIP_DEFLATED)`;

/**
 * Our packager, run from the built package (what the CLI runs) in a plain Node process of its own so
 * that its peak RSS is its own. run.ts writes this to PACK_CHILD_FILE; a file rather than `node -e`,
 * because flags such as `--input-type` would be inherited by the writer's worker threads. It prints the
 * createBundle call's wall time and the process's peak RSS.
 */
export const PACK_CHILD = `import { pathToFileURL } from 'node:url';
const [bundleModule, dir, out, format, concurrency] = process.argv.slice(2);
const { createBundle } = await import(pathToFileURL(bundleModule).href);
if (typeof createBundle !== 'function') {
  console.log(JSON.stringify({ unavailable: bundleModule + ' exports no createBundle' }));
  process.exit(0);
}
const started = performance.now();
const result = await createBundle(dir, out, { format, ...(concurrency ? { concurrency: Number(concurrency) } : {}) });
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, files: result.files, size: result.size, maxRssKiB: process.resourceUsage().maxRSS }));`;

/** The built bundle module the benchmark measures (`pnpm bench` builds it first, through turbo). */
export const BUILT_BUNDLE_MODULE = join(PACKAGE_DIR, 'dist', 'bundle', 'index.js');
export const PACK_CHILD_FILE = join(WORK_DIR, 'pack-child.mjs');

function ours(format: Format, concurrency?: number): Contender {
  const extra = concurrency === undefined ? [] : [String(concurrency)];
  return {
    tool: `codedeploy-gate createBundle${concurrency === undefined ? '' : ` (concurrency ${concurrency})`}`,
    format,
    command: ['node', PACK_CHILD_FILE, BUILT_BUNDLE_MODULE, '<tree>', '<out>', format, ...extra],
    cwd: PACKAGE_DIR,
    needsBuild: true,
    display: `node bench/.work/pack-child.mjs packages/core/dist/bundle/index.js <tree> <out> ${format}${extra.map((e) => ` ${e}`).join('')}`,
    parse: (stdout) => {
      const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
        ms?: number;
        maxRssKiB?: number;
        unavailable?: string;
      };
      if (report.unavailable !== undefined) return { unavailable: report.unavailable };
      if (report.ms === undefined || report.maxRssKiB === undefined) {
        throw new HarnessError(`the packager child printed no measurement: ${stdout.slice(-500)}`);
      }
      return { ms: report.ms, peakRssKiB: report.maxRssKiB };
    },
  };
}

export const ZIP_QR: Contender = {
  tool: 'zip -qr (Info-ZIP)',
  format: 'zip',
  command: ['zip', '-qr', '<out>', '.'],
  cwd: '<tree>',
};

export const AWS_PUSH: Contender = {
  tool: 'python3 zipfile (aws deploy push)',
  format: 'zip',
  command: ['python3', '-c', AWS_PUSH_PYTHON, '<tree>', '<out>'],
  cwd: PACKAGE_DIR,
  display: 'python3 -c "$AWS_PUSH_PYTHON" <tree> <out>',
};

export const OURS = { zip: ours('zip'), tar: ours('tar'), tgz: ours('tgz'), zipTwoThreads: ours('zip', 2) };

export interface Measurement {
  tool: string;
  format: Format;
  tree: string;
  runs: number;
  /** Wall times of the packaging work, ms; for our packager the createBundle call itself. */
  wallMs: number[];
  medianMs: number;
  minMs: number;
  /** Wall times of the whole process (start-up, and for ours the tsx transpile, included). */
  processMs: number[];
  outputBytes: number;
  /** Largest peak RSS over the runs, KiB (null when it could not be measured). */
  peakRssKiB: number | null;
  command: string;
  /** The last run's output, kept until the next benchmark run. */
  outFile: string;
  /** What our bundle reader found in the output. */
  verification?: Verification;
}

export type Outcome = Measurement | { tool: string; format: Format; tree: string; unavailable: string };

const quote = (arg: string) => (/^[\w@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The command as a user would type it, for the report. */
export function describeCommand(contender: Contender): string {
  if (contender.display !== undefined) return contender.display;
  const command = contender.command.map(quote).join(' ');
  return contender.cwd === '<tree>' ? `cd <tree> && ${command}` : command;
}

/** Runs a contender `runs` times on `tree`, writing to `outDir`. */
export async function measure(
  contender: Contender,
  tree: string,
  outDir: string,
  runs: number,
): Promise<Outcome> {
  const outFile = join(outDir, `${contender.tool.replace(/\W+/g, '-')}.${contender.format}`);
  const substitute = (arg: string) => arg.replace('<tree>', tree).replace('<out>', outFile);
  const command = contender.command.map(substitute);
  const cwd = substitute(contender.cwd);
  const outcomes: RunOutcome[] = [];
  for (let run = 0; run < runs; run++) {
    const outcome = await runOnce(command, cwd, outFile);
    const parsed = contender.parse?.(outcome.stdout);
    if (parsed !== undefined && 'unavailable' in parsed) {
      return { tool: contender.tool, format: contender.format, tree, unavailable: parsed.unavailable };
    }
    if (parsed !== undefined) {
      outcome.ms = parsed.ms;
      outcome.peakRssKiB = parsed.peakRssKiB;
    }
    outcomes.push(outcome);
  }
  const wallMs = outcomes.map((outcome) => outcome.ms);
  const rss = outcomes
    .map((outcome) => outcome.peakRssKiB)
    .filter((value): value is number => value !== null);
  return {
    tool: contender.tool,
    format: contender.format,
    tree,
    runs,
    wallMs,
    medianMs: median(wallMs),
    minMs: Math.min(...wallMs),
    processMs: outcomes.map((outcome) => outcome.processMs),
    outputBytes: outcomes.at(-1)!.outputBytes,
    peakRssKiB: rss.length === 0 ? null : Math.max(...rss),
    command: describeCommand(contender),
    outFile,
  };
}
