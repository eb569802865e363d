export interface BundleProgress {
  entriesDone: number;
  entriesTotal: number;
  /** Bytes of file content bundled so far (input bytes, not compressed output). */
  bytesDone: number;
  bytesTotal: number;
}

const INTERVAL_MS = 100;

/** Counts progress and calls the listener at most every 100 ms, plus once from {@link finish}. */
export class ProgressReporter {
  private readonly state: BundleProgress;
  private last = 0;

  constructor(
    entriesTotal: number,
    bytesTotal: number,
    private readonly listener: ((p: BundleProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.state = { entriesDone: 0, entriesTotal, bytesDone: 0, bytesTotal };
  }

  add(entries: number, bytes: number): void {
    this.state.entriesDone += entries;
    this.state.bytesDone += bytes;
    if (this.listener === undefined) return;
    const now = this.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.listener({ ...this.state });
  }

  finish(): void {
    this.listener?.({ ...this.state });
  }
}
