import { describe, expect, it } from 'vitest';
import { FaultInjector } from './injector.js';

describe('FaultInjector', () => {
  it('spends a counted rule on the first N requests it matches, latency-only rules included', () => {
    const faults = new FaultInjector([
      { operation: 'ListApplications', latencyMs: 700, count: 1 },
      { operation: 'CreateDeployment', lose: 1, count: 2 },
    ]);
    expect(faults.decide('ListApplications')).toEqual({ kind: 'none', latencyMs: 700 });
    expect(faults.decide('ListApplications')).toEqual({ kind: 'none', latencyMs: 0 });
    expect(faults.decide('GetDeployment').kind).toBe('none');
    expect(faults.decide('CreateDeployment').kind).toBe('lose');
    expect(faults.decide('CreateDeployment').kind).toBe('lose');
    expect(faults.decide('CreateDeployment').kind).toBe('none');
    expect(faults.current).toEqual([]);
  });
});

describe('service wildcards', () => {
  it('match every operation of their service and nothing else', () => {
    const faults = new FaultInjector([
      { operation: 'Lambda:*', throttle: 1 },
      { operation: 'ECS:*', serverError: 1 },
    ]);
    expect(faults.decide('Lambda:PublishVersion').kind).toBe('throttle');
    expect(faults.decide('ECS:DescribeServices').kind).toBe('serverError');
    expect(faults.decide('S3:GET').kind).toBe('none');
    expect(faults.decide('GetDeployment').kind).toBe('none');
  });
});
