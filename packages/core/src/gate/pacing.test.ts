import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING, errorBackoffDelay, nextPollDelay, predictEnd } from './pacing.js';

const S = 1_000;
const MIN = 60 * S;

function target(id: string, status: string, start?: number, end?: number): DeploymentTarget {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      targetId: id,
      status: status as 'Succeeded',
      lifecycleEvents: [
        {
          lifecycleEventName: 'ApplicationStop',
          status: start === undefined ? 'Pending' : 'Succeeded',
          ...(start !== undefined ? { startTime: new Date(start), endTime: new Date(start + 1) } : {}),
        },
        {
          lifecycleEventName: 'ValidateService',
          status: end === undefined ? 'Pending' : 'Succeeded',
          ...(end !== undefined ? { startTime: new Date(end - 1), endTime: new Date(end) } : {}),
        },
      ],
    },
  };
}

const running = (pending: number, inProgress: number): DeploymentInfo => ({
  status: 'InProgress',
  deploymentOverview: { Pending: pending, InProgress: inProgress, Succeeded: 0, Failed: 0, Skipped: 0 },
});

describe('nextPollDelay', () => {
  const at = (now: number, predictedEnd?: { at: number; marginMs: number }) => ({
    now,
    startedAt: 0,
    predictedEnd,
  });

  it('looks every base interval during the first 30 s', () => {
    expect(nextPollDelay(at(20 * S))).toBe(5 * S);
  });

  it('otherwise waits a tenth of the time watched, between the base interval and the maximum', () => {
    expect(nextPollDelay(at(40 * S))).toBe(5 * S);
    expect(nextPollDelay(at(2 * MIN))).toBe(12 * S);
    expect(nextPollDelay(at(20 * MIN))).toBe(30 * S);
  });

  it('sleeps no further than the opening of the predicted end window, then looks every base interval', () => {
    const end = { at: 20 * MIN, marginMs: 30 * S };
    expect(nextPollDelay(at(19 * MIN, end))).toBe(30 * S);
    expect(nextPollDelay(at(20 * MIN - 40 * S, end))).toBe(10 * S);
    expect(nextPollDelay(at(20 * MIN - 30 * S, end))).toBe(5 * S);
    expect(nextPollDelay(at(20 * MIN + 29 * S, end))).toBe(5 * S);
    // Past the window the prediction was wrong: back to the relaxed interval.
    expect(nextPollDelay(at(20 * MIN + 31 * S, end))).toBe(30 * S);
  });
});

describe('predictEnd', () => {
  it('predicts nothing while targets are pending: only the last running targets make the end', () => {
    const targets = [target('a', 'Succeeded', 0, 5 * MIN), target('b', 'InProgress', 5 * MIN)];
    expect(predictEnd(running(1, 1), targets, 6 * MIN)).toBeUndefined();
  });

  it('predicts nothing until one target has finished', () => {
    expect(
      predictEnd(running(0, 2), [target('a', 'InProgress', 0), target('b', 'InProgress', 0)], 10),
    ).toBeUndefined();
  });

  it('expects the last running target to take the median duration, give or take the spread', () => {
    const targets = [
      target('a', 'Succeeded', 0, 4 * MIN),
      target('b', 'Succeeded', 4 * MIN, 10 * MIN),
      target('c', 'Failed', 10 * MIN, 15 * MIN),
      target('d', 'InProgress', 15 * MIN),
    ];
    expect(predictEnd(running(0, 1), targets, 16 * MIN)).toEqual({ at: 20 * MIN, marginMs: 65 * S });
  });
});

describe('errorBackoffDelay', () => {
  it('doubles from the base interval, caps at the maximum and never drops below half the ceiling', () => {
    expect(errorBackoffDelay(1, DEFAULT_PACING, () => 0)).toBe(2.5 * S);
    expect(errorBackoffDelay(1, DEFAULT_PACING, () => 1)).toBe(5 * S);
    expect(errorBackoffDelay(3, DEFAULT_PACING, () => 1)).toBe(20 * S);
    expect(errorBackoffDelay(9, DEFAULT_PACING, () => 0.5)).toBe(22.5 * S);
  });
});

describe('the budget on a 30-minute rolling deployment (simulated clock)', () => {
  /**
   * Six instances one at a time, each taking 5 minutes ± a few seconds: what `aws deploy wait` (every
   * 15 s) and the gate's pacing spend, and how late each notices the end. The same figures measured
   * against the local CodeDeploy are in bench/README.md.
   */
  function simulate(
    durations: number[],
    pick: (poll: { now: number; deployment: DeploymentInfo; targets: DeploymentTarget[] }) => number,
  ) {
    const starts = durations.map((_, i) => durations.slice(0, i).reduce((a, b) => a + b, 0));
    const end = (starts[starts.length - 1] ?? 0) + (durations[durations.length - 1] ?? 0);
    const stateAt = (now: number) =>
      durations.map((d, i) => {
        const start = starts[i] ?? 0;
        if (now >= start + d) return target(`i-${i}`, 'Succeeded', start, start + d);
        if (now >= start) return target(`i-${i}`, 'InProgress', start);
        return target(`i-${i}`, 'Pending');
      });
    let now = 0;
    let calls = 0;
    for (;;) {
      calls += 1;
      if (now >= end) return { calls, callsPerMinute: calls / (end / MIN), latency: now - end };
      const targets = stateAt(now);
      const count = (status: string) => targets.filter((t) => t.instanceTarget?.status === status).length;
      now += pick({ now, deployment: running(count('Pending'), count('InProgress')), targets });
    }
  }

  // Six instances of five minutes each, ±10 %.
  const durations = [300, 270, 330, 310, 285, 305].map((s) => s * S);

  it('makes fewer calls per minute than the waiter and notices the end 3x sooner', () => {
    const waiter = simulate(durations, () => 15 * S);
    const gate = simulate(durations, ({ now, deployment, targets }) =>
      nextPollDelay({ now, startedAt: 0, predictedEnd: predictEnd(deployment, targets, now) }),
    );
    expect(waiter.callsPerMinute).toBeCloseTo(4, 0);
    expect(gate.callsPerMinute).toBeLessThan(waiter.callsPerMinute * 0.75);
    expect(gate.latency).toBeLessThanOrEqual(DEFAULT_PACING.baseMs);
    expect(gate.latency * 3).toBeLessThanOrEqual(15 * S);
  });
});
