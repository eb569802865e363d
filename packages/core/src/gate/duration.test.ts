import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads units and combinations, and a bare number in the given unit', () => {
    expect(parseDuration('--timeout', '90s', 'm')).toBe(90_000);
    expect(parseDuration('--timeout', '1h30m', 'm')).toBe(5_400_000);
    expect(parseDuration('--poll-interval', '500ms', 's')).toBe(500);
    expect(parseDuration('--timeout', '2.5', 'm')).toBe(150_000);
    expect(parseDuration('--poll-interval', '0.25', 's')).toBe(250);
  });

  it('rejects text that is not a duration, and zero, naming the option', () => {
    expect(() => parseDuration('--timeout', 'soon', 'm')).toThrow(InvalidInputError);
    expect(() => parseDuration('--timeout', '10 minutes', 'm')).toThrow(
      /--timeout "10 minutes" is not a duration/,
    );
    expect(() => parseDuration('--poll-interval', '0s', 's')).toThrow(/must be longer than zero/);
  });
});
