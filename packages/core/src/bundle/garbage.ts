import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Why the bundle writer asks for garbage collections. The buffers it drops (deflate output, the
 * blocks workers hand over, batches of small files) live outside V8's heap, owned by small objects
 * inside it; V8 frees them only when it collects those objects, which its heuristics do after some
 * 30-60 MiB of such memory per thread. On an 80 MB tree that was most of the writer's peak RSS
 * (bench/README.md). A full collection every 8 MiB of dropped buffers frees them; the heap is small
 * (the scan's entries), so each takes a few milliseconds, and no CPU difference was measurable. (Minor
 * collections are cheaper but miss the buffers whose owners were already promoted: measured 103 MiB
 * peak against 89 MiB.)
 */
export const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;

/**
 * JavaScript text evaluating to a function that runs a full collection, or `undefined` when the
 * runtime does not allow it. The same trick as Jest's leak detector: expose `gc` only long enough for
 * a fresh context to capture it, then turn the flag back off so no other code sees it.
 */
export const GC_SOURCE = `(function (v8, vm) {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    v8.setFlagsFromString('--no-expose-gc');
    return typeof gc === 'function' ? () => gc() : undefined;
  } catch {
    return undefined;
  }
})`;

type Collector = (() => void) | undefined;
let mainThreadGc: Collector | null = null;

/** The collection of this (the main) thread, made once; see {@link GC_SOURCE}. */
export function mainThreadCollector(): Collector {
  if (mainThreadGc === null) {
    const make = new Function(`return ${GC_SOURCE}`)() as (v8: unknown, vm: unknown) => Collector;
    mainThreadGc = make({ setFlagsFromString }, { runInNewContext });
  }
  return mainThreadGc;
}

let youngGenerationLimited = false;

/**
 * Stops this process's young generation from growing past its initial size (1 MiB semi-spaces, where
 * V8 would let them grow to 16). Scanning a tree keeps thousands of entries alive, which V8 reads as a
 * reason to grow it, and once grown its pages stay resident: 27 MiB of the writer's peak RSS on an
 * 80 MB tree on one thread (bench/README.md). The flag is process-wide and only changes how often the
 * young generation is collected (collections are smaller and more frequent), never what is kept.
 */
export function limitYoungGeneration(): void {
  if (youngGenerationLimited) return;
  youngGenerationLimited = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Counts dropped buffer bytes and collects every {@link COLLECT_EVERY_BYTES}. */
export class GarbageMeter {
  private bytes = 0;

  constructor(private readonly collect: Collector = mainThreadCollector()) {}

  dropped(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes < COLLECT_EVERY_BYTES) return;
    this.bytes = 0;
    this.collect?.();
  }
}
