import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc/PID/stat describes it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Exited, waiting for its parent (or a reaper this container may not have) to collect it. */
  zombie: boolean;
}

export function processInfo(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may hold spaces and parentheses: the fields follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, zombie: fields[0] === 'Z', ppid: Number(fields[1]), pgid: Number(fields[2]) };
}

/** Every process's id, or undefined where there is no /proc to read (not Linux). */
export function processIds(): number[] | undefined {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return undefined;
  }
}
