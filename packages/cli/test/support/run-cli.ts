import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, startProcess } from '@codedeploy-gate/test-support';

export const CLI_BIN = fileURLToPath(new URL('../../bin/codedeploy-gate.js', import.meta.url));
/** The compiled CLI the bin falls back to where no bundle was built (dist/bundle/ is what it runs). */
export const CLI_COMPILED = fileURLToPath(new URL('../../dist/run.js', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export type CliRun = ProcessResult;

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Caps the CLI's address space (`ulimit -v`, KiB), for runs that would eat the machine's memory if
   * the behaviour they test regressed (`validate /dev/zero` once grew to 23 GB).
   */
  memoryLimitKiB?: number;
  /** The script Node runs: the bin (default) or CLI_COMPILED. */
  script?: string;
}

/** Runs the built CLI as a user would: a child process, no TTY, with the given environment. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/**
 * Starts the CLI and hands back the child too, for tests that signal it mid-run. It leads a process
 * group of its own, stopped with all it started if still running when the test ends (see startProcess).
 */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const script = options.script ?? CLI_BIN;
  const [command, commandArgs]: [string, string[]] =
    options.memoryLimitKiB === undefined
      ? [process.execPath, [script, ...args]]
      : [
          'bash',
          [
            '--noprofile',
            '--norc',
            '-c',
            `ulimit -v ${options.memoryLimitKiB} && exec "$0" "$@"`,
            process.execPath,
            script,
            ...args,
          ],
        ];
  const { child, done } = startProcess(command, commandArgs, {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env },
  });
  return { child, done };
}

/** The endpoint `local serve --json` prints once it listens; rejects if the CLI exits first. */
export function servedEndpoint(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk) => {
      text += chunk;
      const match = /"endpoint": "([^"]+)"/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${text}`)));
  });
}
