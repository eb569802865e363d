import { describe, expect, it } from 'vitest';
import type { PlannedTarget } from './model.js';
import { planRollout } from './rollout.js';

const targets = (...specs: Array<[string, PlannedTarget['standing']]>): PlannedTarget[] =>
  specs.map(([id, standing]) => ({ id, standing }));

describe('planRollout', () => {
  it('puts unhealthy instances first, then unknown, old and current, one at a time for OneAtATime', () => {
    const rollout = planRollout(
      'CodeDeployDefault.OneAtATime',
      { type: 'MOST_CONCURRENCY' as never, value: 1 },
      targets(['c', 'current'], ['a', 'old'], ['d', 'unknown'], ['b', 'unhealthy'], ['e', 'current']),
      'tags',
    );
    expect(rollout.batches.map((batch) => batch.map((t) => t.id))).toEqual([
      ['b'],
      ['d'],
      ['a'],
      ['c'],
      ['e'],
    ]);
    expect(rollout).toMatchObject({ minimumHealthy: 4, failureBudget: 1, batchSize: 1, invalid: false });
    expect(rollout.failsWhen).toMatch(/^fails as soon as one instance fails/);
  });

  it('deploys half at a time for HalfAtATime (FLEET_PERCENT 50, rounded up)', () => {
    const rollout = planRollout(
      'CodeDeployDefault.HalfAtATime',
      { type: 'FLEET_PERCENT', value: 50 },
      targets(['a', 'current'], ['b', 'current'], ['c', 'current'], ['d', 'current'], ['e', 'current']),
      'tags',
    );
    expect(rollout).toMatchObject({ minimumHealthy: 3, failureBudget: 2, batchSize: 2 });
    expect(rollout.batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
  });

  it('deploys everything at once when no host must stay healthy', () => {
    const rollout = planRollout(
      'CodeDeployDefault.AllAtOnce',
      { type: 'HOST_COUNT', value: 0 },
      targets(['a', 'current'], ['b', 'current'], ['c', 'current']),
      'tags',
    );
    expect(rollout.batches).toHaveLength(1);
    expect(rollout.failsWhen).toBe('fails only if every instance fails');
  });

  it('flags a minimum the group cannot meet (HEALTH_CONSTRAINTS_INVALID) and plans no batch', () => {
    const rollout = planRollout(
      'Strict',
      { type: 'FLEET_PERCENT', value: 95 },
      targets(['a', 'current'], ['b', 'current']),
      'tags',
    );
    expect(rollout).toMatchObject({ invalid: true, minimumHealthy: 2, batches: [] });
    expect(rollout.failsWhen).toMatch(/HEALTH_CONSTRAINTS_INVALID/);
  });
});
