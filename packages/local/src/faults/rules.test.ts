import { describe, expect, it } from 'vitest';
import { decideFault, FaultSpecError, parseFaultSpec, seededRandom, validateFaultRule } from './rules.js';

describe('parseFaultSpec', () => {
  it('reads the CLI form into one rule, spelt as the JSON form is', () => {
    expect(parseFaultSpec('GetDeployment:throttle=0.5,latencyMs=200')).toEqual([
      { operation: 'GetDeployment', throttle: 0.5, latencyMs: 200 },
    ]);
    expect(parseFaultSpec('S3:*:serverError=1,drop=0.25')).toEqual([
      { operation: 'S3:*', serverError: 1, drop: 0.25 },
    ]);
  });

  it('refuses a setting it does not know, naming the one meant and every one it takes', () => {
    expect(() => parseFaultSpec('GetDeployment:latency=200')).toThrow(
      'invalid fault "GetDeployment:latency=200": unknown setting "latency"; did you mean "latencyMs"? ' +
        '(a fault rule takes operation, throttle, serverError, accessDenied, drop, lose, latencyMs, count)',
    );
    expect(() => parseFaultSpec('GetDeployment:error=1')).toThrow(/did you mean "serverError"\?/);
    expect(() => parseFaultSpec('GetDeployment:slow=1')).toThrow(
      /unknown setting "slow" \(a fault rule takes/,
    );
  });

  it('refuses missing values, repeated settings and values out of range', () => {
    expect(() => parseFaultSpec('GetDeployment')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('GetDeployment:throttle=')).toThrow(/"throttle" needs a number/);
    expect(() => parseFaultSpec('GetDeployment:throttle')).toThrow(/"throttle" needs a number/);
    expect(() => parseFaultSpec('GetDeployment:drop=0.1,drop=0.2')).toThrow(/"drop" is given twice/);
    expect(() => parseFaultSpec('GetDeployment:throttle=2')).toThrow(
      /"throttle" must be a probability from 0 to 1, got 2/,
    );
    expect(() => parseFaultSpec('GetDeployment:latencyMs=-1')).toThrow(
      /"latencyMs" must be a number of milliseconds/,
    );
  });
});

describe('validateFaultRule', () => {
  it('rejects a rule without an operation', () => {
    expect(() => validateFaultRule({ throttle: 1 })).toThrow(/operation/);
  });

  it('refuses unknown members instead of dropping them', () => {
    expect(() => validateFaultRule({ operation: 'GetDeployment', latency: 200 })).toThrow(
      'fault rule for GetDeployment: unknown setting "latency"; did you mean "latencyMs"? ' +
        '(a fault rule takes operation, throttle, serverError, accessDenied, drop, lose, latencyMs, count)',
    );
    expect(() => validateFaultRule({ operation: 'X', constructor: 1 })).toThrow(
      /unknown setting "constructor"/,
    );
    expect(() => validateFaultRule({ operation: 'X', count: 1.5 })).toThrow(/"count" must be a whole number/);
    expect(() => validateFaultRule({ operation: 'X', throttle: '0.5' })).toThrow(/got "0.5"/);
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
