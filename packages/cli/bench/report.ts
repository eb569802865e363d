import type { RunResult, WatcherMeasurement } from './run-deployment.js';
import type { Scenario } from './scenario.js';

export type WatcherName = 'gate' | 'waiter';

export interface WatcherSummary {
  watcher: WatcherName;
  runs: number;
  callsPerSimMinute: { median: number; max: number };
  noticeLatencySimS: { median: number; max: number };
  calls: { median: number; max: number };
  outcomes: string[];
}

export interface ScenarioSummary {
  scenario: Scenario['id'];
  title: string;
  deploymentSimMinutes: { median: number; max: number };
  statuses: string[];
  gate: WatcherSummary;
  waiter: WatcherSummary;
}

/** The budget of the issue, for the rolling scenario: both must hold. */
export interface BudgetVerdict {
  fewerCallsPerMinute: boolean;
  /** The gate's median latency at most a third of the waiter's worst case (15 s): ≤ 5 s. */
  threeTimesQuickerThanWorstCase: boolean;
  /** The same against the waiter's measured median. */
  threeTimesQuickerThanMeasuredMedian: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function spread<T>(
  items: readonly T[],
  pick: (item: T) => number,
  digits: number,
): { median: number; max: number } {
  const values = items.map(pick);
  const factor = 10 ** digits;
  const round = (value: number) => Math.round(value * factor) / factor;
  return { median: round(median(values)), max: round(Math.max(...values)) };
}

function summarizeWatcher(watcher: WatcherName, measurements: readonly WatcherMeasurement[]): WatcherSummary {
  return {
    watcher,
    runs: measurements.length,
    callsPerSimMinute: spread(measurements, (m) => m.callsPerSimMinute, 2),
    noticeLatencySimS: spread(measurements, (m) => m.noticeLatencySimS, 1),
    calls: spread(measurements, (m) => m.calls, 0),
    outcomes: measurements.map((m) => m.outcome),
  };
}

export function summarize(scenario: Scenario, runs: readonly RunResult[]): ScenarioSummary {
  return {
    scenario: scenario.id,
    title: scenario.title,
    deploymentSimMinutes: spread(runs, (r) => r.deployment.durationSimS / 60, 1),
    statuses: runs.map((r) => r.deployment.status),
    gate: summarizeWatcher(
      'gate',
      runs.map((r) => r.gate),
    ),
    waiter: summarizeWatcher(
      'waiter',
      runs.map((r) => r.waiter),
    ),
  };
}

export function budgetVerdict(summary: ScenarioSummary, waiterDelayS: number): BudgetVerdict {
  const gateLatency = summary.gate.noticeLatencySimS.median;
  return {
    fewerCallsPerMinute: summary.gate.callsPerSimMinute.median < 60 / waiterDelayS,
    threeTimesQuickerThanWorstCase: gateLatency * 3 <= waiterDelayS,
    threeTimesQuickerThanMeasuredMedian: gateLatency * 3 <= summary.waiter.noticeLatencySimS.median,
  };
}

const WATCHER_LABEL: Record<WatcherName, string> = {
  gate: 'codedeploy-gate (watchDeployment)',
  waiter: 'aws deploy wait deployment-successful',
};

/** The results table, in simulated units. */
export function table(summaries: readonly ScenarioSummary[]): string {
  const header = [
    'scenario',
    'watcher',
    'runs',
    'calls / min (median)',
    'calls / min (max)',
    'notice latency (median)',
    'notice latency (max)',
    'calls (median)',
    'deployment (median)',
  ];
  const rows = summaries.flatMap((s) =>
    [s.gate, s.waiter].map((w) => [
      s.title,
      WATCHER_LABEL[w.watcher],
      String(w.runs),
      w.callsPerSimMinute.median.toFixed(2),
      w.callsPerSimMinute.max.toFixed(2),
      `${w.noticeLatencySimS.median.toFixed(1)} s`,
      `${w.noticeLatencySimS.max.toFixed(1)} s`,
      String(w.calls.median),
      `${s.deploymentSimMinutes.median.toFixed(1)} min`,
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = (i: number) => i >= 2;
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Per-run figures, for reading the medians against the runs they came from. */
export function runLines(runs: readonly RunResult[]): string {
  return runs
    .map((r) => {
      const waiterNote = r.waiter.restarts > 0 ? `, gave up ${r.waiter.restarts}× at 120 attempts` : '';
      return (
        `- ${r.scenario} #${r.run} (seed ${r.seed}): ${r.deployment.status}` +
        `${r.deployment.errorCode ? ` ${r.deployment.errorCode}` : ''} after ${(r.deployment.durationSimS / 60).toFixed(1)} min; ` +
        `gate ${r.gate.calls} calls (${formatOperations(r.gate.callsByOperation)}), ` +
        `${r.gate.callsPerSimMinute.toFixed(2)}/min, noticed after ${r.gate.noticeLatencySimS.toFixed(1)} s; ` +
        `waiter ${r.waiter.calls} calls, ${r.waiter.callsPerSimMinute.toFixed(2)}/min, ` +
        `noticed after ${r.waiter.noticeLatencySimS.toFixed(1)} s${waiterNote}`
      );
    })
    .join('\n');
}

function formatOperations(byOperation: Record<string, number>): string {
  return Object.entries(byOperation)
    .map(([operation, count]) => `${count} ${operation}`)
    .join(', ');
}
