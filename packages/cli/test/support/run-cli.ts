import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, startProcess } from '@codedeploy-gate/test-support';

export const CLI_BIN = fileURLToPath(new URL('../../bin/codedeploy-gate.js', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export type CliRun = ProcessResult;

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
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
  const { child, done } = startProcess(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env },
  });
  return { child, done };
}
