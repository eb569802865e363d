import { realpath } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { BundleError, InvalidInputError, isGateError } from '../errors/index.js';
import { CompressPool } from './compress-pool.js';
import { assertSafeEntryName } from './entry-names.js';
import type { BundleFormat } from './format.js';
import { limitYoungGeneration } from './garbage.js';
import { exactIgnorePattern, loadIgnoreRules } from './ignore-rules.js';
import { OutputFile } from './output-file.js';
import { type BundleProgress, ProgressReporter } from './progress.js';
import { type RevisionScan, type ScanOptions, scanRevision } from './scan.js';
import { createSink } from './sink.js';
import { writeTar } from './tar-bundle.js';
import { resolveBundleMtime } from './timestamps.js';
import { writeZip } from './zip-bundle.js';

/**
 * Default deflate level. Per-core cost decides it: on shared CI runners the other core is often busy,
 * so CPU seconds are wall seconds. Measured on the 7.7k-file, 72 MB application tree of the benchmark,
 * one thread (bench/README.md, "Deflate levels"): level 4 takes 0.79x the CPU of level 5 for 2.4 %
 * more output, 0.60x level 6 (what `zip -qr` uses) for 3 % more; level 3 saves little more CPU for
 * twice that size. Earlier, on an 86 MB tree with both cores free, level 5 was chosen as the fastest
 * that stayed as small as zip's output.
 */
export const DEFAULT_LEVEL = 4;

/** Below this much input, compressing on the main thread beats starting workers. */
const INLINE_BYTES = 2 * 1024 * 1024;

/**
 * Above this much input the default is one thread. A worker thread is a V8 heap of its own, and the
 * blocks it compresses wait for a collection on the main thread, so with two threads peak RSS still
 * grows with the revision (121 MiB on a 1 GiB tree against 85 MiB on one thread, measured with
 * createBundle alone, bench/README.md). Below it, both cores are used. `concurrency` overrides.
 */
export const SINGLE_THREAD_ABOVE_BYTES = 256 * 1024 * 1024;

/** The compression threads used when the caller does not say: see {@link SINGLE_THREAD_ABOVE_BYTES}. */
export function defaultConcurrency(totalBytes: number, cpus = availableParallelism()): number {
  return totalBytes > SINGLE_THREAD_ABOVE_BYTES ? 1 : cpus;
}

export interface WriteBundleOptions {
  format: BundleFormat;
  /** Deflate level 0-9 for zip and tgz (0 stores); default {@link DEFAULT_LEVEL}. Ignored for tar. */
  level?: number;
  /**
   * Threads compressing in parallel, the main thread included (N threads are N - 1 workers); default
   * the number of CPUs up to {@link SINGLE_THREAD_ABOVE_BYTES} of input and 1 above it (flat memory).
   * The output does not depend on it.
   */
  concurrency?: number;
  /** Timestamp of every entry; default `SOURCE_DATE_EPOCH`, else 1980-01-01T00:00:00Z. */
  mtime?: Date;
  /** Called at most every 100 ms while writing, and once at the end. */
  onProgress?: (p: BundleProgress) => void;
  /** Aborting stops the work, removes the partial file and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface BundleResult {
  file: string;
  format: BundleFormat;
  /** SHA-256 of the bundle, lowercase hex. */
  sha256: string;
  size: number;
  files: number;
  directories: number;
  symlinks: number;
  /** Sum of the sizes of the bundled files. */
  inputBytes: number;
}

/**
 * Writes the scanned entries to OUTFILE as a deterministic bundle: the same tree gives the same bytes
 * whatever the mtimes, owners, creation order, timing or `concurrency`. Entries are written in scan
 * order with one fixed timestamp, uid/gid 0, and their permission bits as they are (setuid/setgid
 * included). Memory stays flat: files stream through a bounded window of parallel compression. The
 * bundle goes to a temporary file beside OUTFILE, renamed into place only when complete; on error or
 * abort it is removed. Refuses when OUTFILE itself is one of the scanned entries (a previous bundle
 * would be bundled); exclude it, or use {@link createBundle}, which does so automatically.
 */
export async function writeBundle(
  scan: RevisionScan,
  outFile: string,
  options: WriteBundleOptions,
): Promise<BundleResult> {
  const format = options.format;
  if (format !== 'zip' && format !== 'tar' && format !== 'tgz') {
    throw new InvalidInputError(`Unknown bundle format ${JSON.stringify(format)}`, {
      hint: 'Use zip, tar or tgz.',
    });
  }
  const level = options.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidInputError(`The compression level must be a whole number from 0 to 9, got ${level}`);
  }
  const concurrency = options.concurrency ?? defaultConcurrency(scan.totalBytes);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(`The concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const mtime = resolveBundleMtime(options.mtime);
  limitYoungGeneration();
  const target = resolve(outFile);
  for (const entry of scan.entries) assertSafeEntryName(entry.path);
  await refuseBundlingItself(scan, target);
  options.signal?.throwIfAborted();

  // The main thread compresses too, so N threads are N - 1 workers.
  const workers = scan.totalBytes < INLINE_BYTES ? 0 : concurrency - 1;
  const pool = new CompressPool(workers);
  const progress = new ProgressReporter(scan.entries.length, scan.totalBytes, options.onProgress);
  const output = await OutputFile.create(target).catch((error: NodeJS.ErrnoException) => {
    if (isGateError(error)) throw error;
    throw new InvalidInputError(`Cannot write the bundle ${target}: ${error.message}`, { cause: error });
  });
  const onAbort = (): void => {
    void pool.close(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const sink = createSink({ mtime, level, pool, output, progress, signal: options.signal });
    if (format === 'zip') await writeZip(scan.entries, sink);
    else await writeTar(scan.entries, sink, format === 'tgz');
    options.signal?.throwIfAborted();
    const size = output.size;
    const sha256 = await output.commit();
    progress.finish();
    return {
      file: target,
      format,
      sha256,
      size,
      files: scan.entries.filter((e) => e.type === 'file').length,
      directories: scan.entries.filter((e) => e.type === 'directory').length,
      symlinks: scan.entries.filter((e) => e.type === 'symlink').length,
      inputBytes: scan.totalBytes,
    };
  } catch (error) {
    await output.discard();
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

/**
 * Scans DIR and writes its bundle. When OUTFILE lies inside DIR, it (and the temporary files of
 * earlier interrupted runs) is excluded automatically, so bundling twice never bundles the old bundle.
 */
export async function createBundle(
  dir: string,
  outFile: string,
  options: WriteBundleOptions & ScanOptions,
): Promise<BundleResult> {
  const root = resolve(dir);
  const target = resolve(outFile);
  const exclude = [...(options.exclude ?? [])];
  const rel = await relativeInside(root, target);
  if (rel !== undefined) {
    const relDir = dirname(rel);
    const tempPrefix = `${relDir === '.' ? '' : `${relDir}/`}.${basename(rel)}.`;
    exclude.push(exactIgnorePattern(rel), `${exactIgnorePattern(tempPrefix)}*.tmp`);
  }
  const scan = await scanRevision(root, { ...options, exclude });
  return writeBundle(scan, target, options);
}

async function refuseBundlingItself(scan: RevisionScan, target: string): Promise<void> {
  const rel = await relativeInside(scan.root, target);
  if (rel === undefined || !scan.entries.some((e) => e.path === rel)) return;
  throw new BundleError(
    `The bundle ${target} is inside the revision folder and would bundle its previous copy`,
    {
      entry: rel,
      hint: 'Write the bundle outside the revision folder, or exclude it (--exclude or .codedeployignore).',
    },
  );
}

/**
 * Refuses an OUTFILE inside DIR that DIR's bundle would take in: the first run would succeed and the
 * next one find the previous bundle in the tree. One the ignore rules leave out (`dist/` in
 * .codedeployignore, `--exclude`) never gets into the bundle, so it is fine on every run.
 */
export async function assertOutsideRevision(
  dir: string,
  outFile: string,
  options: ScanOptions,
): Promise<void> {
  const root = resolve(dir);
  const target = resolve(outFile);
  const rel = await relativeInside(root, target);
  if (rel === undefined) return;
  const rules = await loadIgnoreRules(root, options);
  // A folder left out takes everything below it, as the scan never enters it.
  const parts = rel.split('/');
  const leftOut = parts.some((_, i) => rules.match(parts.slice(0, i + 1).join('/'), i < parts.length - 1));
  if (leftOut) return;
  throw new BundleError(`The bundle ${target} is inside the revision folder ${root}; nothing was written`, {
    entry: rel,
    hint: 'Write the bundle outside the revision folder, or leave its path out of the bundle (--exclude or .codedeployignore); otherwise the next run bundles this one.',
  });
}

/** TARGET relative to ROOT ('/'-separated) when it lies inside it, comparing real paths. */
async function relativeInside(root: string, target: string): Promise<string | undefined> {
  const realRoot = await realpath(root).catch(() => root);
  const realDir = await realpath(dirname(target)).catch(() => dirname(target));
  const rel = relative(realRoot, resolve(realDir, basename(target)));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
