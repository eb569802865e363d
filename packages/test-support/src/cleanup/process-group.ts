import type { ChildProcess } from 'node:child_process';
import { processIds, processInfo } from './proc.js';

/** True while the group `pgid` has any process, zombies (which only wait to be reaped) included. */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while a process of the group `pgid` still runs (zombies, which only wait to be reaped, do not count). */
export function groupRuns(pgid: number): boolean {
  if (!groupExists(pgid)) return false;
  const pids = processIds();
  if (pids === undefined) return true;
  return pids.some((pid) => {
    const info = processInfo(pid);
    return info !== undefined && info.pgid === pgid && !info.zombie;
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone already.
  }
}

/**
 * Stops the process group `child` leads (it was started `detached`) and everything in it: SIGTERM
 * first, so a server child can stop what it started in groups of its own, then SIGKILL to whatever is
 * left once the group is gone or `graceMs` have passed. Resolves when nothing of the group runs any
 * more (or `graceMs` after the SIGKILL: a process stuck in the kernel is not worth hanging a run for).
 */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined || !groupRuns(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  await until(() => !groupRuns(pgid), graceMs);
  signalGroup(pgid, 'SIGKILL');
  await until(() => !groupRuns(pgid), graceMs);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}
