import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { lifecycleEventsOf, TERMINAL_TARGET_STATUSES, targetStatusOf } from './reads.js';

/**
 * When to look at a deployment next. `aws deploy wait` polls every 15 s: 4 calls a minute and up to
 * 15 s late to notice the end. Only the end needs noticing quickly — a pipeline waits on nothing
 * else — so the gate spends its calls there:
 *
 * - the base interval (5 s) for the first 30 s (quick failures: bad revision, no instances);
 * - the base interval around the predicted end: once no target is pending, the running targets are
 *   expected to take about as long as the finished ones did (their median), give or take their spread;
 * - otherwise a tenth of the time watched so far, between the base interval and the maximum (30 s):
 *   short deployments are still looked at often, long ones cost about two calls a minute.
 *
 * An end nobody could predict (a hook failing mid-way) is therefore noticed within the current
 * interval, at most the maximum; `--max-poll-interval` trades calls for that latency.
 */
export interface PacingSettings {
  /** The shortest interval: during warm-up and around the predicted end. Default 5 s. */
  baseMs: number;
  /** The longest interval while the end is not expected. Default 30 s. */
  maxMs: number;
  /** How long after the watch starts the base interval is kept. Default 30 s. */
  warmupMs: number;
}

export const DEFAULT_PACING: PacingSettings = { baseMs: 5_000, maxMs: 30_000, warmupMs: 30_000 };

/** When the deployment is expected to end, and how far either side of that it plausibly may. */
export interface PredictedEnd {
  at: number;
  marginMs: number;
}

export interface PacingInput {
  now: number;
  /** When the watch started. */
  startedAt: number;
  predictedEnd: PredictedEnd | undefined;
}

/** Delay until the next poll. */
export function nextPollDelay(input: PacingInput, settings: PacingSettings = DEFAULT_PACING): number {
  const { now, startedAt, predictedEnd } = input;
  const { baseMs, maxMs, warmupMs } = settings;
  const watched = now - startedAt;
  if (watched < warmupMs) return baseMs;
  const relaxed = Math.round(Math.min(maxMs, Math.max(baseMs, watched / 10)));
  if (predictedEnd === undefined) return relaxed;
  const opens = predictedEnd.at - predictedEnd.marginMs;
  const closes = predictedEnd.at + predictedEnd.marginMs;
  if (now > closes) return relaxed;
  if (now >= opens - baseMs / 2) return baseMs;
  // Sleep no further than the window's opening, so an end inside it is seen within one interval.
  return Math.max(baseMs, Math.min(relaxed, opens - now));
}

/**
 * The deployment's predicted end, once it can be predicted: no target is pending (the ones running
 * are the last), and at least one target has finished, giving a typical duration. The end is when the
 * last running target is expected to finish; the margin is the spread of the finished durations (at
 * least a tenth of the typical one, and two base intervals).
 */
export function predictEnd(
  deployment: DeploymentInfo,
  targets: readonly DeploymentTarget[],
  now: number,
  baseMs: number = DEFAULT_PACING.baseMs,
): PredictedEnd | undefined {
  const overview = deployment.deploymentOverview;
  if (deployment.status !== 'InProgress' || (overview?.Pending ?? 0) > 0) return undefined;
  const durations: number[] = [];
  const starts: number[] = [];
  for (const target of targets) {
    const status = targetStatusOf(target);
    const events = lifecycleEventsOf(target);
    const start = events.find((e) => e.startTime)?.startTime?.getTime();
    if (status === 'Succeeded' || status === 'Failed') {
      const end = [...events]
        .reverse()
        .find((e) => e.endTime)
        ?.endTime?.getTime();
      if (start !== undefined && end !== undefined && end >= start) durations.push(end - start);
    } else if (!TERMINAL_TARGET_STATUSES.has(status) && status !== 'Pending') {
      starts.push(start ?? now);
    }
  }
  if (durations.length === 0 || starts.length === 0) return undefined;
  const typical = median(durations);
  const spread = (Math.max(...durations) - Math.min(...durations)) / 2;
  return {
    at: Math.max(...starts) + typical,
    marginMs: Math.max(2 * baseMs, typical / 10, spread + baseMs),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Backoff after a throttled or failed poll: doubling from the base, capped, with full jitter. */
export function errorBackoffDelay(
  consecutiveErrors: number,
  settings: PacingSettings = DEFAULT_PACING,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, consecutiveErrors - 1));
  // Never below half the ceiling: a gate that hammers a throttled API makes throttling worse.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
