import { describe, expect, it } from 'vitest';
import { AwsError, GateError, InvalidInputError, isGateError } from './gate-error.js';

/** What an error made by another copy of core looks like from here: its own classes, the shared key. */
function foreignError(kinds: string[], exitCode: number): Error {
  const error = Object.assign(new Error('from the other copy'), { exitCode, hint: 'do this' });
  Object.defineProperty(error, Symbol.for('codedeploy-gate.error-kinds'), { value: kinds });
  return error;
}

describe('errors made by another copy of core (the bundled CLI beside an installed @codedeploy-gate/local)', () => {
  it('are recognised by kind: instanceof holds for their own class and its ancestors only', () => {
    const foreign = foreignError(['InvalidInputError', 'GateError'], 2);
    expect(foreign instanceof InvalidInputError).toBe(true);
    expect(foreign instanceof GateError).toBe(true);
    expect(isGateError(foreign)).toBe(true);
    expect(foreign instanceof AwsError).toBe(false);
  });

  it('are not matched by a subclass that declares no kind of its own, nor is a plain error', () => {
    class Unkinded extends InvalidInputError {}
    expect(foreignError(['InvalidInputError', 'GateError'], 2) instanceof Unkinded).toBe(false);
    expect(new Error('plain') instanceof GateError).toBe(false);
    expect(isGateError({ exitCode: 2 })).toBe(false);
  });

  it('are what this copy makes too: its errors carry their kinds, and instanceof still works as usual', () => {
    const own = new InvalidInputError('bad flag');
    expect((own as unknown as Record<symbol, unknown>)[Symbol.for('codedeploy-gate.error-kinds')]).toEqual([
      'InvalidInputError',
      'GateError',
    ]);
    expect(own instanceof InvalidInputError).toBe(true);
    expect(own instanceof AwsError).toBe(false);
  });
});
