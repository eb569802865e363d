import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { killProcessGroup, type UserCodeLauncher } from '../processes/index.js';
import type { HookScript } from './appspec.js';
import { LifecycleFailure, STOPPED_MESSAGE } from './diagnostics.js';
import { ScriptLog } from './script-log.js';

export interface HookRun {
  event: string;
  scripts: HookScript[];
  /** The `deployment-archive/` the scripts come from; also their working directory. */
  archive: string;
  scriptsLog: string;
  /** The agent's variables (LIFECYCLE_EVENT, DEPLOYMENT_ID, BUNDLE_*...) and the instance's. */
  variables: Record<string, string>;
  /** Starts each script with the allowlisted environment, and keeps what it leaves running for the close. */
  launcher: UserCodeLauncher;
  signal: AbortSignal;
  /** Between SIGTERM and SIGKILL to a timed-out or stopped script's process group. */
  killGraceMs: number;
  warn: (line: string) => void;
}

/**
 * Runs an event's scripts in AppSpec order, as the agent's HookExecutor does; returns the log tail,
 * or throws a {@link LifecycleFailure} carrying it.
 */
export async function runHooks(run: HookRun): Promise<string> {
  const log = new ScriptLog(run.scriptsLog);
  log.append(`LifecycleEvent - ${run.event}\n`);
  try {
    for (const script of run.scripts) await runScript(script, run, log);
  } catch (error) {
    if (error instanceof LifecycleFailure) {
      throw new LifecycleFailure(error.errorCode, error.message, error.scriptName, log.tail());
    }
    throw error;
  }
  return log.tail();
}

async function runScript(script: HookScript, run: HookRun, log: ScriptLog): Promise<void> {
  const location = script.location;
  const path = join(run.archive, location);
  const fail = (code: ConstructorParameters<typeof LifecycleFailure>[0], message: string) =>
    new LifecycleFailure(code, message, location);

  const stats = await stat(path).catch(() => undefined);
  if (stats === undefined)
    throw fail('ScriptMissing', `Script does not exist at specified location: ${path}`);
  if (!(await isExecutable(path))) {
    run.warn(`Script at specified location: ${location} is not executable.  Trying to make it executable.`);
    try {
      await chmod(path, stats.mode | 0o111);
    } catch {
      throw fail(
        'ScriptNotExecutable',
        `Unable to set script at specified location: ${location} as executable`,
      );
    }
  }

  log.append(`Script - ${location}\n`);
  if (script.runas !== undefined || script.sudo) {
    const asked = [script.sudo ? 'sudo' : '', script.runas === undefined ? '' : `runas ${script.runas}`]
      .filter(Boolean)
      .join(' and ');
    log.append(`[warning] ${asked} ignored: the local agent runs every script as the current user\n`);
  }
  run.signal.throwIfAborted();

  // Its own process group (the agent's popen3 `pgroup: true`), so a timeout or stop reaches its children.
  const child = run.launcher.start({
    file: path,
    args: [],
    cwd: run.archive,
    service: run.variables,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome = await watch(child, script.timeout * 1000, run.signal, log);

  if (outcome.kind === 'error') {
    throw fail(
      'ScriptFailed',
      `Script at specified location: ${location} failed with error ${outcome.error.code ?? outcome.error.name} with message ${outcome.error.message}`,
    );
  }
  if (outcome.kind !== 'exited') {
    await killGroup(child, run.killGraceMs);
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  if (outcome.kind === 'aborted') throw fail('UnknownError', STOPPED_MESSAGE);
  if (outcome.kind === 'timeout') {
    throw fail(
      'ScriptTimedOut',
      `Script at specified location: ${location} failed to complete in ${script.timeout} seconds`,
    );
  }
  if (outcome.kind === 'outputs-left-open') {
    // The agent's OutputsLeftOpen (6) is not in the API's LifecycleErrorCode enum.
    throw fail('UnknownError', `Script at specified location: ${location} failed to close ${outcome.stream}`);
  }
  if (outcome.code !== 0) {
    const user = script.runas === undefined ? '' : ` run as user ${script.runas}`;
    // A script killed by a signal has no exit status; Ruby prints nil as an empty string.
    throw fail(
      'ScriptFailed',
      `Script at specified location: ${location}${user} failed with exit code ${outcome.code ?? ''}`,
    );
  }
}

type Outcome =
  | { kind: 'exited'; code: number | null }
  | { kind: 'timeout' }
  | { kind: 'outputs-left-open'; stream: 'STDOUT' | 'STDERR' }
  | { kind: 'aborted' }
  | { kind: 'error'; error: NodeJS.ErrnoException };

/**
 * One deadline covers the process and the draining of its stdout and stderr (the agent's
 * ThreadJoiner): a script that exits while a child still holds its output open fails once the
 * deadline passes.
 */
function watch(
  child: ChildProcess,
  timeoutMs: number,
  signal: AbortSignal,
  log: ScriptLog,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let exitCode: number | null | undefined;
    let exited = false;
    let stdoutOpen = true;
    let stderrOpen = true;
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const settle = () => {
      if (exited && !stdoutOpen && !stderrOpen) finish({ kind: 'exited', code: exitCode ?? null });
    };
    const onAbort = () => finish({ kind: 'aborted' });
    const timer = setTimeout(() => {
      if (!exited) finish({ kind: 'timeout' });
      else finish({ kind: 'outputs-left-open', stream: stdoutOpen ? 'STDOUT' : 'STDERR' });
    }, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => finish({ kind: 'error', error }));
    child.once('exit', (code) => {
      exited = true;
      exitCode = code;
      settle();
    });
    readLines(child.stdout, '[stdout]', log, () => {
      stdoutOpen = false;
      settle();
    });
    readLines(child.stderr, '[stderr]', log, () => {
      stderrOpen = false;
      settle();
    });
  });
}

/** Logs a stream line by line, each entry keeping its newline (Ruby's `each_line`). */
function readLines(stream: Readable | null, prefix: string, log: ScriptLog, closed: () => void): void {
  if (stream === null) {
    closed();
    return;
  }
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const flush = (text: string) => {
    pending += text;
    for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
      log.append(`${prefix}${pending.slice(0, newline + 1)}`);
      pending = pending.slice(newline + 1);
    }
  };
  stream.on('data', (chunk: Buffer) => flush(decoder.write(chunk)));
  stream.once('end', () => {
    flush(decoder.end());
    if (pending !== '') log.append(`${prefix}${pending}`);
    pending = '';
  });
  stream.once('close', closed);
  stream.on('error', () => {});
}

/** SIGTERM to the whole process group, SIGKILL to whatever is left of it after the grace period. */
async function killGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid !== undefined) await killProcessGroup(child.pid, graceMs);
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
