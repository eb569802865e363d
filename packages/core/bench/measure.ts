import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

export interface RunOutcome {
  /** Wall time of the packaging work, in milliseconds. */
  ms: number;
  /** Wall time of the whole child process, start-up included. */
  processMs: number;
  outputBytes: number;
  peakRssKiB: number | null;
  stdout: string;
}

export class HarnessError extends Error {}

/**
 * Runs `command` once after deleting `outFile` (zip appends to an existing archive), measuring the
 * process's wall time and, through GNU time, its peak RSS.
 */
export async function runOnce(
  command: string[],
  cwd: string,
  outFile: string,
  env?: NodeJS.ProcessEnv,
): Promise<RunOutcome> {
  await rm(outFile, { force: true });
  const timeFile = `${outFile}.time`;
  const argv = hasGnuTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...command] : command;
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd,
        env: env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    },
  );
  const processMs = performance.now() - started;
  if (code !== 0)
    throw new HarnessError(`${command.join(' ')} exited ${code}: ${stderr.trim().slice(-2000)}`);
  let peakRssKiB: number | null = null;
  if (hasGnuTime) {
    peakRssKiB = Number.parseInt((await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? '', 10);
    await rm(timeFile, { force: true });
  }
  const outputBytes = existsSync(outFile) ? (await stat(outFile)).size : 0;
  return { ms: processMs, processMs, outputBytes, peakRssKiB, stdout };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
