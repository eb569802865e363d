import { describe, expect, it } from 'vitest';
import { defaultContentCacheDir } from './content-cache.js';

describe('defaultContentCacheDir', () => {
  it('uses XDG_CACHE_HOME when it is absolute', () => {
    expect(defaultContentCacheDir({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' })).toBe(
      '/var/cache/me/codedeploy-gate/content-hashes',
    );
  });

  it('falls back to ~/.cache when XDG_CACHE_HOME is unset or relative', () => {
    const expected = '/home/me/.cache/codedeploy-gate/content-hashes';
    expect(defaultContentCacheDir({ HOME: '/home/me' })).toBe(expected);
    expect(defaultContentCacheDir({ XDG_CACHE_HOME: 'cache', HOME: '/home/me' })).toBe(expected);
  });

  it.each(['1', 'true', 'yes'])('is off when CODEDEPLOY_GATE_NO_CACHE=%s', (value) => {
    expect(defaultContentCacheDir({ HOME: '/home/me', CODEDEPLOY_GATE_NO_CACHE: value })).toBeUndefined();
  });

  it.each(['', '0'])('stays on when CODEDEPLOY_GATE_NO_CACHE=%j', (value) => {
    expect(defaultContentCacheDir({ HOME: '/home/me', CODEDEPLOY_GATE_NO_CACHE: value })).toBeDefined();
  });
});
