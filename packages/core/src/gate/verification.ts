import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { withoutStartUpFiles } from '../shell/index.js';

export interface VerificationOptions {
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
  /** Kill the command after this many ms. */
  timeoutMs?: number | undefined;
  /** Each line of output as it comes, so the log shows the check live. */
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

export interface VerificationResult {
  ok: boolean;
  exitCode: number | null;
  /** Set when the command was killed (timeout, cancellation). */
  killedBy?: 'timeout' | 'cancel';
}

/** How a verification command is run: the default below, or a front end's own runner. */
export type VerificationRunner = (
  command: string,
  options: VerificationOptions,
) => Promise<VerificationResult>;

/**
 * Runs the `--continue-after` check through the shell, in its own process group so a timeout or a
 * cancellation kills everything it started, not just the shell. The check runs on the user's own CI
 * machine and keeps their environment (it may need their AWS credentials), less `BASH_ENV`/`ENV`:
 * `/bin/sh -c` reads no start-up file when not interactive, and without those variables neither
 * does a `#!/bin/bash` script the check runs.
 */
export function runVerification(
  command: string,
  options: VerificationOptions = {},
): Promise<VerificationResult> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: withoutStartUpFiles(options.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let killedBy: VerificationResult['killedBy'];
    const kill = (why: 'timeout' | 'cancel') => {
      killedBy ??= why;
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => kill('timeout'), Math.max(0, options.timeoutMs));
    const onAbort = () => kill('cancel');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream] }).on('line', (line) => options.onLine?.(line, stream));
    }
    const done = (exitCode: number | null) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ok: exitCode === 0 && killedBy === undefined, exitCode, ...(killedBy ? { killedBy } : {}) });
    };
    child.once('error', () => done(null));
    child.once('close', (code) => done(code));
  });
}
