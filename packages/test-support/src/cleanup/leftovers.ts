import { readFileSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';
import { processIds, processInfo } from './proc.js';
import { TEST_RUN_VARIABLE } from './test-run.js';

/** What marks a process as started by one test run (or by one part of it). */
export interface TestRun {
  /**
   * The value of CODEDEPLOY_GATE_TEST_RUN its processes carry; a process marked `<id>.<more>` (see
   * `markedEnv`) belongs to the run too.
   */
  id: string;
  /**
   * The run's own temporary folder (its workers' TMPDIR): a process working in it, naming it on its
   * command line or carrying it in its environment belongs to the run too, even when it was given an
   * allowlisted environment without the marker (a hook or a local function of an in-process server).
   */
  dir?: string;
}

/** A process the run left behind. */
export interface Leftover {
  pid: number;
  /** Its process group; equal to `pid` when it leads one. */
  pgid: number;
  ppid: number;
  command: string;
  /** Which mark gave it away. */
  mark: 'marker variable' | 'temporary folder';
}

/**
 * The live processes of this user that carry the run's mark (Linux: read from /proc; elsewhere none
 * are found). `spare` keeps some out, such as the test runner's own workers.
 */
export function findLeftovers(
  run: TestRun,
  spare: (process: { pid: number; ppid: number }) => boolean = () => false,
): Leftover[] {
  const found: Leftover[] = [];
  for (const pid of processIds() ?? []) {
    const info = processInfo(pid);
    if (!info || info.zombie || info.pid === process.pid || spare(info)) continue;
    const mark = markOf(pid, run);
    if (mark) found.push({ pid, pgid: info.pgid, ppid: info.ppid, command: commandOf(pid), mark });
  }
  return found;
}

/** SIGKILLs each left-over process, and the whole group of those that lead one. */
export function killLeftovers(leftovers: Leftover[]): void {
  for (const { pid, pgid } of leftovers) {
    try {
      process.kill(pgid === pid ? -pid : pid, 'SIGKILL');
    } catch {
      // Ended on its own meanwhile.
    }
  }
}

/** The lines that make a leak impossible to miss in the test output. */
export function describeLeftovers(leftovers: Leftover[]): string {
  return [
    `${leftovers.length} process(es) started by this test run were still running after it (killed now):`,
    ...leftovers.map((l) => `  pid ${l.pid} (${l.mark}): ${l.command.slice(0, 300)}`),
    'A test must stop what it starts, even when it fails or times out: start children with',
    "test-support's startProcess (or give them markedEnv()) and servers with closeAtEnd, which stop",
    'them after each test.',
  ].join('\n');
}

function markOf(pid: number, run: TestRun): Leftover['mark'] | undefined {
  // Unreadable (another user's process, or it just ended): not ours to judge.
  const variables = read(() => readFileSync(`/proc/${pid}/environ`, 'utf8')).split('\0');
  const marker = `${TEST_RUN_VARIABLE}=${run.id}`;
  if (variables.some((v) => v === marker || v.startsWith(`${marker}.`))) return 'marker variable';
  const dir = run.dir;
  if (dir === undefined) return undefined;
  const inDir = (path: string) => path === dir || path.startsWith(dir + sep);
  if (
    inDir(read(() => readlinkSync(`/proc/${pid}/cwd`))) ||
    commandOf(pid).includes(dir) ||
    variables.some((v) => v.slice(v.indexOf('=') + 1) === dir)
  ) {
    return 'temporary folder';
  }
  return undefined;
}

function commandOf(pid: number): string {
  return read(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8'))
    .replace(/\0+$/, '')
    .replaceAll('\0', ' ');
}

function read(what: () => string): string {
  try {
    return what();
  } catch {
    return '';
  }
}
