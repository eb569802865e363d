import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('suggest', () => {
  it('measures edit distance case-insensitively', () => {
    expect(editDistance('AfterInstal', 'AfterInstall')).toBe(1);
    expect(editDistance('afterinstall', 'AfterInstall')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a close key and nothing for an unrelated one', () => {
    expect(closest('hook', ['version', 'os', 'hooks'])).toBe('hooks');
    expect(closest('ApplicationStrat', ['ApplicationStart', 'ApplicationStop'])).toBe('ApplicationStart');
    expect(closest('banana', ['version', 'os', 'hooks'])).toBeUndefined();
    expect(didYouMean('timout', ['timeout'])).toBe('Did you mean "timeout"? ');
    expect(didYouMean('zzz', ['timeout'])).toBe('');
  });
});
