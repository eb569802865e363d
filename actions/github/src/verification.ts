import {
  BASH_NO_START_UP_FILES,
  type VerificationResult,
  type VerificationRunner,
  withoutStartUpFiles,
} from '@codedeploy-gate/core';

/**
 * Runs `continue-after` with @actions/exec. Its output reaches the step's log a line at a time
 * through the gate (`onLine`), which masks credentials first — the runner masks only the secrets it
 * was told about — so exec itself stays silent. @actions/exec cannot kill what it started: on a
 * timeout or a cancellation the gate goes on without waiting (a timed-out check is a failed check),
 * and the runner ends the job's leftover processes.
 * Like a `run:` step's `bash --noprofile --norc`, it reads no start-up file: @actions/exec gives bash
 * a socket for stdin, which would otherwise make it source `~/.bashrc`; `BASH_ENV`/`ENV` are dropped.
 */
export const execVerification: VerificationRunner = async (command, options) => {
  // Loaded on first use: most deployments never wait for a go-ahead.
  const { exec } = await import('@actions/exec');
  const run = exec('bash', [...BASH_NO_START_UP_FILES, '-e', '-c', command], {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: definedOnly(withoutStartUpFiles(options.env ?? process.env)),
    ignoreReturnCode: true,
    silent: true,
    listeners: {
      stdline: (line) => options.onLine?.(line, 'stdout'),
      errline: (line) => options.onLine?.(line, 'stderr'),
    },
  }).then((exitCode): VerificationResult => ({ ok: exitCode === 0, exitCode }));
  const stops: Array<Promise<VerificationResult>> = [run.catch(() => ({ ok: false, exitCode: null }))];
  const cleanups: Array<() => void> = [];
  if (options.timeoutMs !== undefined) {
    stops.push(
      new Promise((resolve) => {
        const timer = setTimeout(
          () => resolve({ ok: false, exitCode: null, killedBy: 'timeout' }),
          Math.max(0, options.timeoutMs as number),
        );
        cleanups.push(() => clearTimeout(timer));
      }),
    );
  }
  const signal = options.signal;
  if (signal) {
    stops.push(
      new Promise((resolve) => {
        const onAbort = () => resolve({ ok: false, exitCode: null, killedBy: 'cancel' });
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }),
    );
  }
  try {
    return await Promise.race(stops);
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
};

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
