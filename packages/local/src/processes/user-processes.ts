import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { HAS_PROC_TABLE, isRunning, listProcesses, readProcess } from './process-table.js';
import { RUN_MARKER_VARIABLE } from './user-env.js';

/** A process we started for user code: the leader of its own session and process group. */
interface Leader {
  pid: number;
  /** Undefined without a `/proc` to read it from. */
  startTime: string | undefined;
}

/** `<state-dir>/processes.json`: what a server started, for the next start if it dies unclean. */
interface ProcessRecord {
  /** The server's run id, the value of {@link RUN_MARKER_VARIABLE} in its user code. */
  run: string;
  serverPid: number;
  serverStartTime: string | undefined;
  leaders: Leader[];
}

/** Runs open in this process, so a second server on a state dir does not stop the first one's work. */
const openRuns = new Set<string>();

/**
 * Every process started for user code by one server, and what they started in turn: stopped when
 * the server closes, and at the next start on the same state dir when it did not close (SIGKILL, a
 * crash). Each user process leads a session of its own and carries {@link RUN_MARKER_VARIABLE}, so
 * on Linux the processes to stop are those in a session we started (leader still running, start time
 * checked) and those whose environment holds our marker: a `setsid` daemon, a double fork or a
 * `nohup` child of a hook all inherit it. A process that empties its environment and leaves the
 * session is out of reach. Without a `/proc` (macOS), the recorded process groups are stopped on
 * close and nothing is stopped at the next start, since a pid cannot be told from a reused one.
 */
export class UserProcesses {
  readonly run = randomUUID();
  private readonly leaders = new Map<number, Leader>();

  private constructor(
    private readonly recordFile: string | undefined,
    private readonly graceMs: number,
  ) {
    openRuns.add(this.run);
  }

  /** Kept in memory only: nothing is stopped at a next start. */
  static inMemory(graceMs: number): UserProcesses {
    return new UserProcesses(undefined, graceMs);
  }

  /**
   * Stops what a previous server on this record file left running (when it is not running any more),
   * then records this one's run there.
   */
  static async open(
    recordFile: string,
    graceMs: number,
    log: (line: string) => void,
  ): Promise<UserProcesses> {
    const previous = readRecord(recordFile);
    if (previous !== undefined) {
      if (stillServing(previous)) {
        log(
          `another local CodeDeploy (pid ${previous.serverPid}) uses this state dir: its processes are left alone`,
        );
      } else if (HAS_PROC_TABLE) {
        const stopped = await stopProcesses(previous.run, previous.leaders, graceMs);
        if (stopped > 0)
          log(`stopped ${stopped} process(es) that hooks or functions of the last run left running`);
      }
    }
    const processes = new UserProcesses(recordFile, graceMs);
    processes.save();
    return processes;
  }

  /** `NAME=VALUE` to put in every user process's environment. */
  get marker(): { name: string; value: string } {
    return { name: RUN_MARKER_VARIABLE, value: this.run };
  }

  /** Records a process started for user code (in a session of its own). */
  track(pid: number): void {
    for (const leader of this.leaders.values()) if (!leaderRunning(leader)) this.leaders.delete(leader.pid);
    this.leaders.set(pid, { pid, startTime: readProcess(pid)?.startTime });
    this.save();
  }

  /** Stops everything user code of this run left running (SIGTERM, SIGKILL after the grace period). */
  async stop(): Promise<void> {
    openRuns.delete(this.run);
    await stopProcesses(this.run, [...this.leaders.values()], this.graceMs);
    this.leaders.clear();
    if (this.recordFile !== undefined) rmSync(this.recordFile, { force: true });
  }

  private save(): void {
    if (this.recordFile === undefined) return;
    const record: ProcessRecord = {
      run: this.run,
      serverPid: process.pid,
      serverStartTime: readProcess(process.pid)?.startTime,
      leaders: [...this.leaders.values()],
    };
    const temp = `${this.recordFile}.tmp`;
    writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(temp, this.recordFile);
  }
}

function readRecord(file: string): ProcessRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProcessRecord>;
    if (typeof record.run !== 'string' || typeof record.serverPid !== 'number') return undefined;
    const leaders = Array.isArray(record.leaders)
      ? record.leaders.filter(
          (leader): leader is Leader =>
            Number.isInteger(leader?.pid) && leader.pid > 0 && typeof leader.startTime === 'string',
        )
      : [];
    return {
      run: record.run,
      serverPid: record.serverPid,
      serverStartTime: typeof record.serverStartTime === 'string' ? record.serverStartTime : undefined,
      leaders,
    };
  } catch {
    return undefined;
  }
}

function stillServing(record: ProcessRecord): boolean {
  if (record.serverPid === process.pid) return openRuns.has(record.run);
  return record.serverStartTime !== undefined && isRunning(record.serverPid, record.serverStartTime);
}

function leaderRunning(leader: Leader): boolean {
  if (leader.startTime !== undefined) return isRunning(leader.pid, leader.startTime);
  return !HAS_PROC_TABLE && signal(-leader.pid, 0);
}

/** A process to stop (pid and start time, so a reused pid is never signalled) or, without `/proc`, a group. */
type Target = { pid: number; startTime: string } | { group: number };

/**
 * The processes of a run still alive: in a session or group whose recorded leader still runs, or
 * carrying the run's marker in their environment.
 */
function targets(run: string, leaders: readonly Leader[]): Target[] {
  const live = leaders.filter(leaderRunning);
  if (!HAS_PROC_TABLE) return live.map((leader) => ({ group: leader.pid }));
  const sessions = new Set(live.map((leader) => leader.pid));
  return listProcesses(`${RUN_MARKER_VARIABLE}=${run}`)
    .filter((entry) => entry.marked || sessions.has(entry.sid) || sessions.has(entry.pgid))
    .map((entry) => ({ pid: entry.pid, startTime: entry.startTime }));
}

function alive(target: Target): boolean {
  return 'group' in target ? signal(-target.group, 0) : isRunning(target.pid, target.startTime);
}

function send(target: Target, name: NodeJS.Signals): void {
  if ('group' in target) signal(-target.group, name);
  else if (isRunning(target.pid, target.startTime)) signal(target.pid, name);
}

/** SIGTERM, then SIGKILL once `graceMs` passed, to what is left and whatever it started meanwhile. */
async function stopProcesses(run: string, leaders: readonly Leader[], graceMs: number): Promise<number> {
  const found = targets(run, leaders);
  for (const target of found) send(target, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (found.some(alive) && Date.now() < deadline) await pause(25);
  // A few rounds: a process may fork between the scan and the signal.
  for (let round = 0; round < 3; round += 1) {
    const left = targets(run, leaders);
    if (left.length === 0) break;
    for (const target of left) send(target, 'SIGKILL');
    await pause(25);
  }
  return found.length;
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
