import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { trackProcessGroup, withTestRunMarks } from './cleanup/index.js';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  done: Promise<ProcessResult>;
  /** Stops its process group now: SIGTERM, then SIGKILL to what is left (see `stopProcessGroup`). */
  stop(): Promise<void>;
}

/**
 * Starts a process with stdin closed and its stdout/stderr collected (the front ends' tests run so),
 * as the leader of a process group of its own (as a CI agent runs a step). Whatever of the group is
 * still running when the test ends (passed, failed or timed out) is stopped then, or at the end of
 * the file when started in `beforeAll`. The child's environment (`options.env`, default this
 * process's) gets the test run's marks (`withTestRunMarks`), by which the run finds it, and what it
 * starts, if they outlive the test worker.
 */
export function startProcess(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'stdio' | 'detached'> = {},
): RunningProcess {
  const child = spawn(command, args, {
    ...options,
    env: withTestRunMarks(options.env ?? process.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = trackProcessGroup(child, [command, ...args].join(' '));
  const done = new Promise<ProcessResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stop };
}

/** Polls `probe` every 100 ms until it returns a value (errors count as not yet), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
