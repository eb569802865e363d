import type { MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SERVER_CONFIGS } from './configs.js';
import {
  finalOutcome,
  type HealthPlan,
  minimumBroken,
  openSlots,
  type Progress,
  planHealth,
} from './minimum-healthy.js';

type Deploy = Extract<HealthPlan, { kind: 'deploy' }>;

function deployPlan(minimum: MinimumHealthyHosts, total: number): Deploy {
  const plan = planHealth(minimum, total);
  if (plan.kind !== 'deploy') throw new Error(`expected a deployable plan, got ${JSON.stringify(plan)}`);
  return plan;
}

function progress(partial: Partial<Progress>): Progress {
  return { succeeded: 0, failed: 0, skipped: 0, inProgress: 0, pending: 0, ...partial };
}

const builtIn = (name: string) => BUILT_IN_SERVER_CONFIGS[`CodeDeployDefault.${name}`]!;
const sizes = (minimum: MinimumHealthyHosts) =>
  Array.from({ length: 10 }, (_, i) => {
    const plan = planHealth(minimum, i + 1);
    return plan.kind === 'deploy' ? plan.batchSize : 'invalid';
  });

describe('batch sizes for 1..10 instances', () => {
  it('OneAtATime deploys one instance at a time whatever the fleet', () => {
    expect(sizes(builtIn('OneAtATime'))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('HalfAtATime deploys half the fleet rounded down, and cannot start on a single instance', () => {
    expect(sizes(builtIn('HalfAtATime'))).toEqual(['invalid', 1, 1, 2, 2, 3, 3, 4, 4, 5]);
  });

  it('AllAtOnce deploys the whole fleet at once', () => {
    expect(sizes(builtIn('AllAtOnce'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('custom HOST_COUNT 2 leaves two healthy hosts and is invalid below three instances', () => {
    expect(sizes({ type: 'HOST_COUNT', value: 2 })).toEqual(['invalid', 'invalid', 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('custom FLEET_PERCENT 75 rounds the minimum up', () => {
    expect(sizes({ type: 'FLEET_PERCENT', value: 75 })).toEqual([
      'invalid',
      'invalid',
      'invalid',
      1,
      1,
      1,
      1,
      2,
      2,
      2,
    ]);
  });

  it('matches the model doc examples for nine instances (HOST_COUNT 6: 3 at a time; FLEET_PERCENT 40: 5 at a time)', () => {
    expect(deployPlan({ type: 'HOST_COUNT', value: 6 }, 9)).toMatchObject({
      batchSize: 3,
      minimumHealthy: 6,
    });
    expect(deployPlan({ type: 'FLEET_PERCENT', value: 40 }, 9)).toMatchObject({
      batchSize: 5,
      minimumHealthy: 4,
    });
    expect(deployPlan(builtIn('HalfAtATime'), 9)).toMatchObject({ batchSize: 4, minimumHealthy: 5 });
  });
});

describe('the user guide worked examples for 10 instances', () => {
  it('95% rounds up to 10 and fails before deploying anything', () => {
    expect(planHealth({ type: 'FLEET_PERCENT', value: 95 }, 10)).toEqual({
      kind: 'invalid',
      minimumHealthy: 10,
    });
  });

  it('9 healthy: one at a time, any failure with instances left fails the deployment', () => {
    const plan = deployPlan({ type: 'HOST_COUNT', value: 9 }, 10);
    expect(plan.batchSize).toBe(1);
    expect(minimumBroken(plan, progress({ succeeded: 3, failed: 1, pending: 6 }))).toBe(true);
  });

  it('9 healthy: the last instance failing still succeeds', () => {
    const plan = deployPlan({ type: 'HOST_COUNT', value: 9 }, 10);
    const end = progress({ succeeded: 9, failed: 1 });
    expect(minimumBroken(plan, end)).toBe(false);
    expect(finalOutcome(plan, end)).toBe('Succeeded');
  });

  it('8 healthy: two at a time, the second failure fails it unless it is the last instance', () => {
    const plan = deployPlan({ type: 'HOST_COUNT', value: 8 }, 10);
    expect(plan.batchSize).toBe(2);
    expect(minimumBroken(plan, progress({ succeeded: 2, failed: 2, pending: 6 }))).toBe(true);
    expect(finalOutcome(plan, progress({ succeeded: 8, failed: 2 }))).toBe('Succeeded');
  });

  it('0 healthy: all at once, and at least one instance must succeed', () => {
    const plan = deployPlan({ type: 'HOST_COUNT', value: 0 }, 10);
    expect(plan.batchSize).toBe(10);
    expect(finalOutcome(plan, progress({ succeeded: 1, failed: 9 }))).toBe('Succeeded');
    expect(finalOutcome(plan, progress({ failed: 10 }))).toBe('Failed');
  });

  it('85%: a single failure with instances left fails the deployment', () => {
    const plan = deployPlan({ type: 'FLEET_PERCENT', value: 85 }, 10);
    expect(minimumBroken(plan, progress({ failed: 1, pending: 9 }))).toBe(true);
  });
});

describe('OneAtATime', () => {
  it('fails a single-instance group whose only instance fails', () => {
    const plan = deployPlan(builtIn('OneAtATime'), 1);
    expect(finalOutcome(plan, progress({ failed: 1 }))).toBe('Failed');
  });

  it('succeeds when only the last of three instances fails', () => {
    const plan = deployPlan(builtIn('OneAtATime'), 3);
    expect(minimumBroken(plan, progress({ succeeded: 2, failed: 1 }))).toBe(false);
    expect(finalOutcome(plan, progress({ succeeded: 2, failed: 1 }))).toBe('Succeeded');
  });
});

describe('openSlots', () => {
  it('never lets failed plus in-flight instances exceed the failure budget', () => {
    const plan = deployPlan({ type: 'HOST_COUNT', value: 7 }, 10);
    expect(openSlots(plan, progress({ pending: 10 }))).toBe(3);
    expect(openSlots(plan, progress({ pending: 7, inProgress: 2, succeeded: 1 }))).toBe(1);
    expect(openSlots(plan, progress({ pending: 6, inProgress: 1, failed: 2, succeeded: 1 }))).toBe(0);
  });

  it('offers no more slots than instances waiting', () => {
    expect(openSlots(deployPlan(builtIn('AllAtOnce'), 5), progress({ pending: 2, succeeded: 3 }))).toBe(2);
  });
});

describe('finalOutcome', () => {
  it('succeeds when every target was already current (updateOutdatedInstancesOnly)', () => {
    expect(finalOutcome(deployPlan(builtIn('OneAtATime'), 2), progress({ skipped: 2 }))).toBe('Succeeded');
  });

  it('fails while instances were never deployed to', () => {
    expect(finalOutcome(deployPlan(builtIn('AllAtOnce'), 2), progress({ succeeded: 1, pending: 1 }))).toBe(
      'Failed',
    );
  });
});
