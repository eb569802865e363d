import { describe, expect, it } from 'vitest';
import { describeSteps, trafficSteps } from './traffic-steps.js';

describe('trafficSteps', () => {
  it('shifts a canary’s share, waits its interval, then shifts the rest', () => {
    const steps = trafficSteps({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
    });
    expect(steps).toEqual([
      { atMinutes: 0, percent: 10 },
      { atMinutes: 5, percent: 100 },
    ]);
    expect(describeSteps(steps)).toBe('10 % for 5 min, then 100 %');
  });

  it('adds a linear share every interval until everything is shifted', () => {
    const steps = trafficSteps({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 30, linearInterval: 2 },
    });
    expect(steps.map((s) => `${s.atMinutes}:${s.percent}`)).toEqual(['0:30', '2:60', '4:90', '6:100']);
  });

  it('moves everything at once for AllAtOnce', () => {
    expect(describeSteps(trafficSteps({ type: 'AllAtOnce' }))).toBe('100 %');
  });
});
