import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** The agent's ScriptLog budget: the tail sent to the service keeps whole entries within it. */
export const LOG_TAIL_BUDGET = 2048;

/**
 * One lifecycle event's script output: every entry goes to `logs/scripts.log` as
 * `YYYY-MM-DD HH:MM:SS <entry>` (the agent's `Time.now.to_s[0..-7]`, local time), and the most
 * recent whole entries within {@link LOG_TAIL_BUDGET} characters are kept for the diagnostics'
 * logTail. Entries carry their own newline (`[stdout]line\n`), as the agent's do.
 */
export class ScriptLog {
  private entries: string[] = [];
  private length = 0;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  append(entry: string): void {
    // Synchronous so that lines from stdout and stderr reach the file in the order they arrived.
    appendFileSync(this.file, `${timestamp(new Date())} ${entry}`);
    this.entries.push(entry);
    this.length += entry.length;
    while (this.length > LOG_TAIL_BUDGET && this.entries.length > 0) {
      this.length -= this.entries.shift()?.length ?? 0;
    }
  }

  /** The diagnostics' logTail. */
  tail(): string {
    return this.entries.join('');
  }
}

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}
