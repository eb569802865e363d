import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFolders, decodeKey, encodeKey } from './key-path.js';

const roundTrip = (key: string) => {
  const { folders, name } = encodeKey(key);
  return decodeKey(folders, name);
};

describe('object keys as file names', () => {
  it('stores keys without special parts exactly as s3rver 3.7 did, so existing state dirs stay readable', () => {
    expect(encodeKey('releases/app-1.2.3+build_7.zip')).toEqual({
      folders: ['releases'],
      name: 'app-1.2.3+build_7.zip',
    });
    expect(encodeKey('dir/')).toEqual({ folders: ['dir'], name: '' });
    expect(encodeKey('…/ünïcode key (1).txt')).toEqual({ folders: ['…'], name: 'ünïcode key (1).txt' });
  });

  it('turns every part that climbs, collapses or separates into one ordinary name', () => {
    expect(encodeKey('../../../../tmp/PWN')).toEqual({
      folders: ['%2E%2E', '%2E%2E', '%2E%2E', '%2E%2E', 'tmp'],
      name: 'PWN',
    });
    expect(encodeKey('/etc//x/./y')).toEqual({ folders: ['%', 'etc', '%', 'x', '%2E'], name: 'y' });
    expect(encodeKey('..\\..\\x')).toEqual({ folders: [], name: '..%5C..%5Cx' });
    expect(encodeKey('a%2e%2e/b\u0000c')).toEqual({ folders: ['a%252e%252e'], name: 'b%00c' });
    expect(encodeKey('x._S3rver_object/._S3rver_uploads')).toEqual({
      folders: ['x%2E_S3rver_object'],
      name: '%2E_S3rver_uploads',
    });
  });

  it('maps every key to names that cannot leave the folder and back to the same key', () => {
    const keyChars = fc.constantFrom(
      'a',
      '.',
      '/',
      '\\',
      '%',
      '2',
      'e',
      'E',
      '\u0000',
      '\n',
      '_',
      'S',
      'é',
      '😀',
    );
    fc.assert(
      fc.property(fc.array(keyChars, { maxLength: 40 }), (chars) => {
        const key = chars.join('');
        const { folders, name } = encodeKey(key);
        for (const folder of folders) {
          expect(['', '.', '..']).not.toContain(folder);
          expect(folder).not.toMatch(/[/\\\u0000]|\._S3rver_/);
        }
        expect(name).not.toMatch(/[/\\\u0000]|\._S3rver_/);
        expect(roundTrip(key)).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives distinct keys distinct names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        fc.pre(a !== b);
        expect(encodeKey(a)).not.toEqual(encodeKey(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the key prefix a folder stands for, for pruning listings', () => {
    expect(decodeFolders(['%', '%2E%2E', 'tmp'])).toBe('/../tmp/');
  });
});
