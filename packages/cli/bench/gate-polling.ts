/**
 * Gate polling benchmark: does the gate's adaptive polling (`watchDeployment`) make fewer calls per
 * minute than `aws deploy wait deployment-successful` (GetDeployment every 15 s) while noticing the end
 * at least 3x sooner? Both watch the same deployment on the local CodeDeploy at once. Time is scaled
 * (1/30: a 30-minute rolling deployment takes a wall minute) and every figure is reported simulated.
 * A measurement, not a test: it exits non-zero only when the harness itself fails.
 *
 *   pnpm bench                                              (from the repo root, through turbo)
 *   BENCH_QUICK=1 pnpm --filter @codedeploy-gate/cli bench  (one 10-minute run per scenario)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PACING, type PacingSettings } from '@codedeploy-gate/core';
import { describeMachine, machineLine } from '@codedeploy-gate/test-support';
import { budgetVerdict, runLines, type ScenarioSummary, summarize, table } from './report.js';
import { type RunResult, type RunSettings, runDeployment } from './run-deployment.js';
import type { Scenario } from './scenario.js';
import { warnIfStale } from './stale-build.js';
import { DEPLOYMENT_SUCCESSFUL, WAITER_COMMAND } from './waiter.js';

const QUICK = process.env.BENCH_QUICK === '1';
/** Wall time per simulated time. */
const SCALE = 1 / 30;
const RUNS = QUICK ? 1 : 3;
const SIMULATED_MINUTES = QUICK ? 10 : 30;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WORK_DIR = join(REPO_ROOT, 'bench', '.work');
const RESULTS_FILE = join(WORK_DIR, 'gate-polling.json');

const SCENARIOS: Scenario[] = [
  {
    id: 'rolling',
    title: `A: ${SIMULATED_MINUTES}-min rolling`,
    instances: 6,
    deploymentConfig: 'CodeDeployDefault.OneAtATime',
    simulatedMinutes: SIMULATED_MINUTES,
  },
  {
    id: 'failure',
    title: 'B: failure mid-way',
    instances: 6,
    deploymentConfig: 'CodeDeployDefault.OneAtATime',
    simulatedMinutes: SIMULATED_MINUTES,
    failingInstance: 4,
  },
];

const log = (line: string) => console.log(`[bench] ${line}`);

function scaled(pacing: PacingSettings): PacingSettings {
  return {
    baseMs: pacing.baseMs * SCALE,
    maxMs: pacing.maxMs * SCALE,
    warmupMs: pacing.warmupMs * SCALE,
  };
}

function renderMarkdown(summaries: ScenarioSummary[], runs: RunResult[], settings: RunSettings): string {
  const machine = describeMachine();
  const waiterDelayS = DEPLOYMENT_SUCCESSFUL.delayS;
  const rolling = summaries.find((s) => s.scenario === 'rolling');
  const verdict = rolling && budgetVerdict(rolling, waiterDelayS);
  const mark = (met: boolean) => (met ? 'met' : '**missed**');
  return [
    '## Gate polling benchmark',
    '',
    machineLine(machine),
    `- Time scale 1/${Math.round(1 / SCALE)}; figures in simulated units. Gate pacing (simulated): ` +
      `base ${DEFAULT_PACING.baseMs / 1000} s, max ${DEFAULT_PACING.maxMs / 1000} s, warm-up ${DEFAULT_PACING.warmupMs / 1000} s ` +
      `(wall ${settings.gatePacing.baseMs.toFixed(0)}/${settings.gatePacing.maxMs.toFixed(0)}/${settings.gatePacing.warmupMs.toFixed(0)} ms). ` +
      `Waiter: \`${WAITER_COMMAND}\`, GetDeployment every ${waiterDelayS} s, up to ${DEPLOYMENT_SUCCESSFUL.maxAttempts} times.`,
    '',
    table(summaries),
    '',
    'Calls: every CodeDeploy call the watcher’s SDK client sent (for the gate, GetDeployment plus its target ' +
      'reads: ListDeploymentTargets, BatchGetDeploymentTargets). Notice latency: the watcher returned minus the ' +
      'deployment’s completeTime. Per-call timelines are in the JSON.',
    '',
    runLines(runs),
    '',
    verdict
      ? `Budget on ${rolling.title}: fewer calls per minute than the waiter (< ${60 / waiterDelayS}): ${mark(verdict.fewerCallsPerMinute)}; ` +
        `median notice ≤ ${waiterDelayS / 3} s (3× the waiter's worst case): ${mark(verdict.threeTimesQuickerThanWorstCase)}; ` +
        `3× quicker than the waiter's measured median: ${mark(verdict.threeTimesQuickerThanMeasuredMedian)}.`
      : '',
  ].join('\n');
}

async function main(): Promise<void> {
  const began = performance.now();
  await warnIfStale('gate', log);
  const scratch = join(WORK_DIR, 'gate-polling');
  await mkdir(scratch, { recursive: true });
  const settings: RunSettings = {
    scale: SCALE,
    gatePacing: scaled(DEFAULT_PACING),
    waiterDelayMs: DEPLOYMENT_SUCCESSFUL.delayS * 1000 * SCALE,
    workDir: scratch,
  };
  const runs: RunResult[] = [];
  const summaries: ScenarioSummary[] = [];
  for (const [index, scenario] of SCENARIOS.entries()) {
    const scenarioRuns: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const seed = 1000 * (index + 1) + run;
      log(`${scenario.title}, run ${run}/${RUNS} (seed ${seed})…`);
      const result = await runDeployment(scenario, run, seed, settings);
      log(
        `  ${result.deployment.status} after ${(result.deployment.durationSimS / 60).toFixed(1)} min; ` +
          `gate ${result.gate.calls} calls, +${result.gate.noticeLatencySimS} s; ` +
          `waiter ${result.waiter.calls} calls, +${result.waiter.noticeLatencySimS} s`,
      );
      const counted = result.gate.stats.getDeploymentCalls + result.gate.stats.targetCalls;
      if (counted !== result.gate.calls) {
        log(`  warning: the gate counted ${counted} calls, its client sent ${result.gate.calls}`);
      }
      scenarioRuns.push(result);
    }
    runs.push(...scenarioRuns);
    summaries.push(summarize(scenario, scenarioRuns));
  }
  await rm(scratch, { recursive: true, force: true });

  const markdown = renderMarkdown(summaries, runs, settings);
  console.log(`\n${markdown}\n`);
  const wallS = Math.round((performance.now() - began) / 100) / 10;
  const rolling = summaries.find((s) => s.scenario === 'rolling');
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: QUICK ? 'BENCH_QUICK=1 pnpm bench' : 'pnpm bench',
        quick: QUICK,
        wallS,
        machine: describeMachine(),
        scale: SCALE,
        runsPerScenario: RUNS,
        gatePacingSimulated: DEFAULT_PACING,
        gatePacingWall: settings.gatePacing,
        waiter: { command: WAITER_COMMAND, ...DEPLOYMENT_SUCCESSFUL, delayWallMs: settings.waiterDelayMs },
        scenarios: SCENARIOS,
        summaries,
        budget: rolling ? budgetVerdict(rolling, DEPLOYMENT_SUCCESSFUL.delayS) : null,
        runs,
      },
      null,
      2,
    )}\n`,
  );
  log(`results written to ${RESULTS_FILE} (${wallS} s)`);
}

main().catch((error: unknown) => {
  console.error('[bench] the harness failed:', error);
  process.exitCode = 1;
});
