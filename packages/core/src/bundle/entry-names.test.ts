import { describe, expect, it } from 'vitest';
import { BundleError } from '../errors/index.js';
import { assertSafeEntryName, sortByPathBytes, unsafeEntryNameReason } from './entry-names.js';

describe('unsafeEntryNameReason', () => {
  it('accepts plain relative names, including non-ASCII ones', () => {
    expect(unsafeEntryNameReason('scripts/start.sh')).toBeUndefined();
    expect(unsafeEntryNameReason('données/été.txt')).toBeUndefined();
  });

  it.each([
    ['../etc/passwd', "'..'"],
    ['a/../../b', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['a\\b', 'backslash'],
    ['a\0b', 'NUL'],
    ['a//b', 'empty'],
    ['./a', "'.'"],
    ['a\ud800b', 'UTF-8'],
  ])('refuses %j (%s)', (name, words) => {
    expect(unsafeEntryNameReason(name)).toContain(words);
  });

  it('throws a BundleError that names the entry and hints at excluding it', () => {
    const error = (() => {
      try {
        assertSafeEntryName('a\\b');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).entry).toBe('a\\b');
    expect((error as BundleError).hint).toMatch(/exclude/);
    expect((error as BundleError).exitCode).toBe(2);
  });
});

describe('sortByPathBytes', () => {
  it('orders by UTF-8 bytes, not by locale or UTF-16 code units', () => {
    const paths = ['b', 'a/b', 'a-c', 'é', 'Z', '\u{1F600}', '\uFF61'];
    const sorted = sortByPathBytes(paths.map((path) => ({ path }))).map((p) => p.path);
    expect(sorted).toEqual(['Z', 'a-c', 'a/b', 'b', 'é', '\uFF61', '\u{1F600}']);
  });
});
