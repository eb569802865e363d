import { describe, expect, it } from 'vitest';
import { pickRoutedVersion } from './lookup.js';
import { parseFunctionName, qualifierOf } from './names.js';

const scope = { accountId: '111122223333', region: 'us-east-1' };

describe('parseFunctionName', () => {
  it('accepts the forms Lambda accepts', () => {
    expect(parseFunctionName('app', scope)).toEqual({ name: 'app' });
    expect(parseFunctionName('app:live', scope)).toEqual({ name: 'app', qualifier: 'live' });
    expect(parseFunctionName('111122223333:function:app:3', scope)).toEqual({ name: 'app', qualifier: '3' });
    expect(parseFunctionName('arn:aws:lambda:us-east-1:111122223333:function:app:$LATEST', scope)).toEqual({
      name: 'app',
      qualifier: '$LATEST',
    });
  });

  it('marks an ARN of another account or region as foreign, so no local function matches it', () => {
    const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:app';
    expect(parseFunctionName(arn, scope)).toEqual({ name: 'app', foreign: arn });
  });

  it('refuses names outside the model pattern with a ValidationException', () => {
    for (const bad of ['', 'has space', 'a:b:c', 'x'.repeat(65)]) {
      expect(() => parseFunctionName(bad, scope)).toThrow(
        expect.objectContaining({ code: 'ValidationException' }),
      );
    }
  });

  it('requires a qualifier in the name to agree with the Qualifier parameter', () => {
    expect(qualifierOf({ name: 'app', qualifier: 'live' }, 'live')).toBe('live');
    expect(qualifierOf({ name: 'app' }, '2')).toBe('2');
    expect(() => qualifierOf({ name: 'app', qualifier: 'live' }, '2')).toThrow(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });
});

describe('pickRoutedVersion', () => {
  const alias = { FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } };

  it('sends a draw below the additional weight to the additional version, the rest to the primary', () => {
    expect(pickRoutedVersion(alias, () => 0.05)).toBe('2');
    expect(pickRoutedVersion(alias, () => 0.1)).toBe('1');
    expect(pickRoutedVersion({ FunctionVersion: '4' }, () => 0)).toBe('4');
  });
});
