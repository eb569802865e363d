import { describe, expect, it } from 'vitest';
import { decideFault, FaultSpecError, parseFaultSpec, seededRandom, validateFaultRule } from './rules.js';

describe('parseFaultSpec', () => {
  it('reads the CLI form into one rule', () => {
    expect(parseFaultSpec('GetDeployment:throttle=0.5,latency=200')).toEqual([
      { operation: 'GetDeployment', throttle: 0.5, latencyMs: 200 },
    ]);
  });

  it('accepts S3:* and the error/drop keys', () => {
    expect(parseFaultSpec('S3:*:error=1,drop=0.25')).toEqual([
      { operation: 'S3:*', serverError: 1, drop: 0.25 },
    ]);
  });

  it('rejects unknown keys, missing values and probabilities above 1', () => {
    expect(() => parseFaultSpec('GetDeployment')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('GetDeployment:slow=1')).toThrow(/unknown key "slow"/);
    expect(() => parseFaultSpec('GetDeployment:throttle=')).toThrow(/numeric value/);
    expect(() => parseFaultSpec('GetDeployment:throttle=2')).toThrow(/between 0 and 1/);
  });
});

describe('validateFaultRule', () => {
  it('rejects a rule without an operation', () => {
    expect(() => validateFaultRule({ throttle: 1 })).toThrow(/operation/);
  });
});

describe('decideFault', () => {
  const never = () => 0.999;
  const always = () => 0;

  it('does nothing when no rule matches', () => {
    expect(decideFault([{ operation: 'GetApplication', throttle: 1 }], 'ListApplications', always)).toEqual({
      kind: 'none',
      latencyMs: 0,
    });
  });

  it('matches by name, S3:* for S3 requests, and * for everything', () => {
    expect(decideFault([{ operation: 'S3:*', serverError: 1 }], 'S3:PUT', always).kind).toBe('serverError');
    expect(decideFault([{ operation: 'S3:*', serverError: 1 }], 'GetApplication', always).kind).toBe('none');
    expect(decideFault([{ operation: '*', drop: 1 }], 'GetApplication', always).kind).toBe('drop');
  });

  it('keeps the latency of a matching rule even when no fault is drawn', () => {
    expect(decideFault([{ operation: '*', latencyMs: 50, throttle: 0.5 }], 'X', never)).toEqual({
      kind: 'none',
      latencyMs: 50,
    });
  });

  it('draws the same faults for the same seed', () => {
    const rules = [{ operation: '*', throttle: 0.5 }];
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => decideFault(rules, 'GetApplication', random).kind);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).toContain('throttle');
    expect(run(7)).toContain('none');
  });

  it('parses lose and count, and names the rule that fired', () => {
    const rules = parseFaultSpec('CreateDeployment:lose=1,count=2');
    expect(rules).toEqual([{ operation: 'CreateDeployment', lose: 1, count: 2 }]);
    expect(decideFault(rules, 'CreateDeployment', always)).toEqual({
      kind: 'lose',
      latencyMs: 0,
      rule: rules[0],
    });
    expect(() => parseFaultSpec('CreateDeployment:lose=1,count=0')).toThrow(/whole number/);
  });
});
