import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { checkLambdaSource, currentVersionOf, looksLikeZip } from './lambda-checks.js';

const source = { kind: 'lambda' as const, functionName: 'checkout', alias: 'live' };

function thrown(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('checkLambdaSource', () => {
  it('accepts a function and alias alone (publish $LATEST), with a version, or with a zip', () => {
    expect(() => checkLambdaSource(source)).not.toThrow();
    expect(() => checkLambdaSource({ ...source, targetVersion: '12' })).not.toThrow();
    expect(() => checkLambdaSource({ ...source, zipFile: 'build.zip' })).not.toThrow();
  });

  it('refuses a version and a zip together, and versions that are not published version numbers', () => {
    expect(
      thrown(() => checkLambdaSource({ ...source, targetVersion: '7', zipFile: 'b.zip' })).message,
    ).toContain('both given');
    for (const version of ['$LATEST', 'live', '0', '07', '1.2']) {
      expect(thrown(() => checkLambdaSource({ ...source, targetVersion: version })).message).toContain(
        `"${version}" is not a published version number`,
      );
    }
  });

  it('refuses empty function and alias names', () => {
    expect(thrown(() => checkLambdaSource({ ...source, functionName: ' ' })).message).toBe(
      'no Lambda function was given',
    );
    expect(thrown(() => checkLambdaSource({ ...source, alias: '' })).message).toContain('no alias');
  });
});

describe('currentVersionOf', () => {
  it('answers the version an alias routes all traffic to', () => {
    expect(currentVersionOf({ FunctionVersion: '6' }, 'checkout', 'live')).toBe('6');
    expect(
      currentVersionOf(
        { FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} } },
        'checkout',
        'live',
      ),
    ).toBe('6');
  });

  it('refuses an alias that already splits traffic, naming it and its weights', () => {
    const error = thrown(() =>
      currentVersionOf(
        { FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } } },
        'checkout',
        'live',
      ),
    );
    expect(error.message).toBe(
      'alias live of Lambda function checkout already splits traffic (version 6, 10% on version 7): a shift is in progress; nothing was created',
    );
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('update-alias --function-name checkout --name live');
  });

  it('refuses an alias on $LATEST, which CodeDeploy cannot shift from', () => {
    expect(
      thrown(() => currentVersionOf({ FunctionVersion: '$LATEST' }, 'checkout', 'live')).message,
    ).toContain('points to $LATEST, not a published version');
  });
});

describe('looksLikeZip', () => {
  it('knows a zip by its first bytes', () => {
    expect(looksLikeZip(Buffer.from('PK\x03\x04rest'))).toBe(true);
    expect(looksLikeZip(Buffer.from('PK\x05\x06'))).toBe(true);
    expect(looksLikeZip(Buffer.from('\x1f\x8b\x08'))).toBe(false);
  });
});
