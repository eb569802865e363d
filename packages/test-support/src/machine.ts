// Describes the machine a benchmark ran on, for its recorded figures.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem, type } from 'node:os';

/** What a benchmark records about where it ran. */
export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the benchmark started: timings stretch on a busy machine. */
  loadAtStart: number;
}

export function describeMachine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: the model stays unknown, the other figures still describe the machine.
  }
  return {
    cpu,
    cores: availableParallelism(),
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function machineLine(machine: Machine): string {
  return (
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os}, ` +
    `Node ${machine.node}; load average ${machine.loadAtStart} at start`
  );
}
