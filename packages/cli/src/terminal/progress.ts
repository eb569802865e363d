import type { Output } from './output.js';

/**
 * Decides when a progress update is worth printing: ten times a second on a terminal, and in a CI log
 * only every 10% or 15 seconds, so a long bundle shows life without flooding Jenkins' console.
 */
export class ProgressThrottle {
  private lastAt = 0;
  private lastStep = -1;
  private startedAt: number | undefined;

  constructor(
    private readonly output: Output,
    private readonly now: () => number = Date.now,
  ) {}

  update(label: string, done: number, total: number, render: (done: number, total: number) => string): void {
    if (this.output.json) return;
    const at = this.now();
    this.startedAt ??= at;
    // Work that ends quickly needs no progress at all; only long work earns the lines.
    if (at - this.startedAt < (this.output.interactive ? 300 : 2_000)) return;
    const ratio = total > 0 ? done / total : 1;
    const step = Math.floor(ratio * 10);
    const due = this.output.interactive
      ? at - this.lastAt >= 100
      : step > this.lastStep || at - this.lastAt >= 15_000;
    if (!due && done < total) return;
    if (!this.output.interactive && done >= total && this.lastStep >= 10) return;
    this.lastAt = at;
    this.lastStep = step;
    this.output.progress(`${label} ${Math.floor(ratio * 100)}% ${render(done, total)}`);
  }

  reset(): void {
    this.startedAt = undefined;
    this.lastAt = 0;
    this.lastStep = -1;
    this.output.clearProgress();
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
