import { readdirSync, readFileSync } from 'node:fs';

/** One process as Linux's `/proc/PID/stat` shows it. */
export interface ProcessEntry {
  pid: number;
  pgid: number;
  sid: number;
  /**
   * Clock ticks after boot at which it started: with the pid, what names one process for good
   * (a pid alone may since belong to another process).
   */
  startTime: string;
  /** Exited, waiting for its parent to reap it: nothing left to stop. */
  zombie: boolean;
}

/** Whether this system has a Linux-style `/proc` to read processes from. */
export const HAS_PROC_TABLE = readProcess(process.pid) !== undefined;

/** A process by pid, or undefined when there is none (or no `/proc`). */
export function readProcess(pid: number): ProcessEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, , pgid, sid] = fields;
  const startTime = fields[19];
  if (state === undefined || pgid === undefined || sid === undefined || startTime === undefined)
    return undefined;
  return { pid, pgid: Number(pgid), sid: Number(sid), startTime, zombie: state === 'Z' };
}

/** True while the process `pid` that started at `startTime` runs (a reused pid does not count). */
export function isRunning(pid: number, startTime: string): boolean {
  const entry = readProcess(pid);
  return entry !== undefined && !entry.zombie && entry.startTime === startTime;
}

/** Every live process but this one, with whether its environment holds `marker` (`NAME=VALUE`). */
export function listProcesses(marker: string): Array<ProcessEntry & { marked: boolean }> {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: Array<ProcessEntry & { marked: boolean }> = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const entry = readProcess(pid);
    if (entry === undefined || entry.zombie) continue;
    found.push({ ...entry, marked: environHas(pid, marker) });
  }
  return found;
}

/** `/proc/PID/environ` is the environment the process was started with; readable for our own user's. */
function environHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
  } catch {
    return false;
  }
}
