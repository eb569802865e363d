import { describe, expect, it } from 'vitest';
import type { ListedEntry } from './bundle-entries.js';
import { diffEntries } from './file-diff.js';

const entry = (path: string, crc32: number, size = 10, mode = 0o644, type: ListedEntry['type'] = 'file') =>
  [path, { path, type, size, mode, crc32 }] as const;

describe('diffEntries', () => {
  it('tells added, removed and changed files apart by size, mode and CRC, and ignores directories', () => {
    const live = new Map([
      entry('app', 0, 0, 0o755, 'directory'),
      entry('app/same', 1),
      entry('app/content', 2),
      entry('app/mode', 3),
      entry('app/gone', 4),
    ]);
    const next = new Map([
      entry('app', 0, 0, 0o755, 'directory'),
      entry('app/same', 1),
      entry('app/content', 9),
      entry('app/mode', 3, 10, 0o755),
      entry('app/new', 5),
    ]);
    const diff = diffEntries(live, next);
    expect(diff.entries.map((e) => `${e.change} ${e.path}`)).toEqual([
      'changed app/content',
      'removed app/gone',
      'changed app/mode',
      'added app/new',
    ]);
    expect(diff).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 1 });
  });
});
