import { describe, expect, it } from 'vitest';
import { aceProblem, normalisePosix, rangeProblem } from './permissions.js';

describe('aceProblem (agent AceInfo rules)', () => {
  it.each([
    'u:bob:rwx',
    'user:bob:r-x',
    'g:web:5',
    'm::rw',
    'mask::7',
    'd:u::rwx',
    'default:g:web:r',
    'd:o::r',
    'bob:rw',
  ])('accepts %s', (ace) => {
    expect(aceProblem(ace)).toBeUndefined();
  });

  it.each([
    ['rwx', '2 to 4 parts'],
    ['a:b:c:d:e', '2 to 4 parts'],
    ['x:u:bob:rwx', 'd: or default:'],
    ['d:d:bob:rwx', 'default is given twice'],
    ['z:bob:rwx', 'unknown entry type'],
    ['o:bob:r', 'cannot name'],
    ['u::rwx', 'set with mode'],
    ['u:bob:8', 'invalid permission character "8"'],
    ['u:bob:rwq', 'invalid permission character "q"'],
  ])('rejects %s', (ace, reason) => {
    expect(aceProblem(ace)).toContain(reason);
  });
});

describe('rangeProblem (agent RangeInfo rules)', () => {
  it.each(['s0', 's0-s0', 's0-s3:c0.c1023', 's1:c1,c3.c5'])('accepts %s', (range) => {
    expect(rangeProblem(range)).toBeUndefined();
  });

  it.each([
    ['x0', 'invalid sensitivity'],
    ['s2-s1', 'below'],
    ['s0:c1024', 'invalid category'],
    ['s0:c5.c1', 'invalid category range'],
    ['s0:c1,c0.c2', 'duplicate categories'],
    ['s0:', 'empty part'],
    ['s0-', 'invalid sensitivity'],
  ])('rejects %s', (range, reason) => {
    expect(rangeProblem(range)).toContain(reason);
  });
});

describe('hostile-input: SELinux ranges of many parts', () => {
  // Each part may cover 1,024 categories; listing them all made a 2 MB range a 200-million-item list.
  const parts = 'c0.c1023,'.repeat(200_000);

  it('finds the repeat without listing every category of every part', () => {
    expect(rangeProblem(`s0:${parts}c1`)).toBe('duplicate categories');
  });

  it('still reports an invalid part after the first repeat', () => {
    expect(rangeProblem(`s0:${parts}c2000`)).toBe('invalid category "c2000"');
  });
});

describe('normalisePosix', () => {
  it('makes equivalent paths equal', () => {
    expect(normalisePosix('/srv//app/./x/')).toBe('/srv/app/x');
    expect(normalisePosix('/srv/app/../web')).toBe('/srv/web');
  });
});
