import type { BundleTask, BundleTaskResult } from './bundle-task.js';
import type { CompressPool } from './compress-pool.js';
import { GarbageMeter } from './garbage.js';
import { runInOrder } from './ordered-run.js';
import type { OutputFile } from './output-file.js';
import type { ProgressReporter } from './progress.js';

/**
 * Input bytes compressed ahead of the writer at most, when workers compress in parallel: what bounds
 * memory for any tree. Without workers nothing runs in parallel, so units run one at a time.
 */
export const WINDOW_BYTES = 8 * 1024 * 1024;
const MAX_AHEAD = 512;

/** What a format writer (zip, tar) needs: settings, a parallel ordered runner, the output, progress. */
export interface BundleSink {
  readonly mtime: Date;
  /** 0 stores, 1-9 deflate. */
  readonly level: number;
  /** Runs each unit's task ahead in the pool and hands results to CONSUME in unit order. */
  run<U extends { task: BundleTask; bytes: number }>(
    units: Iterable<U>,
    consume: (result: BundleTaskResult, unit: U) => Promise<void>,
  ): Promise<void>;
  write(chunks: readonly Uint8Array[]): Promise<void>;
  progress(entries: number, bytes: number): void;
}

export function createSink(settings: {
  mtime: Date;
  level: number;
  pool: CompressPool;
  output: OutputFile;
  progress: ProgressReporter;
  signal: AbortSignal | undefined;
}): BundleSink {
  const { pool, output, progress, signal } = settings;
  const empty: BundleTaskResult = { items: [], data: new Uint8Array(0) };
  const garbage = new GarbageMeter();
  return {
    mtime: settings.mtime,
    level: settings.level,
    run: (units, consume) =>
      runInOrder(
        units,
        {
          start: (unit) =>
            unit.task.kind === 'files' && unit.task.files.length === 0
              ? Promise.resolve(empty)
              : pool.run(unit.task),
          cost: (unit) => unit.bytes,
          windowBytes: pool.size === 0 ? 0 : WINDOW_BYTES,
          maxAhead: MAX_AHEAD,
          signal,
        },
        async (result, unit) => {
          await consume(result, unit);
          garbage.dropped(result.data.length);
        },
      ),
    write: (chunks) => output.write(chunks),
    progress: (entries, bytes) => progress.add(entries, bytes),
  };
}
