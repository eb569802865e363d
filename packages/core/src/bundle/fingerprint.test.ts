import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bundleFingerprint,
  type FingerprintSettings,
  filesChangedSinceScan,
  hashContents,
} from './fingerprint.js';
import { type RevisionEntry, scanRevision } from './scan.js';

const settings: FingerprintSettings = { format: 'zip', level: 5, mtime: new Date(Date.UTC(1980, 0, 1)) };
const file = (path: string, size: number, mode = 0o644): RevisionEntry => ({
  path,
  type: 'file',
  mode,
  size,
  absolutePath: `/nowhere/${path}`,
});
const entries: RevisionEntry[] = [
  { path: 'app', type: 'directory', mode: 0o755, size: 0, absolutePath: '/nowhere/app' },
  file('app/a.js', 3),
  { path: 'app/link', type: 'symlink', mode: 0o777, size: 0, linkTarget: 'a.js', absolutePath: '/x' },
];
const content = new Map([['app/a.js', 'a'.repeat(64)]]);

describe('bundleFingerprint', () => {
  const base = bundleFingerprint(entries, content, settings);

  it('is the same for the same entries, contents and settings', () => {
    expect(bundleFingerprint(structuredClone(entries), new Map(content), { ...settings })).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on where the tree lives on disk', () => {
    const moved = entries.map((e) => ({ ...e, absolutePath: `/elsewhere/${e.path}` }));
    expect(bundleFingerprint(moved, content, settings)).toBe(base);
  });

  it.each([
    ['a file content', entries, new Map([['app/a.js', 'b'.repeat(64)]]), settings],
    ['a mode', [entries[0]!, file('app/a.js', 3, 0o755), entries[2]!], content, settings],
    ['a size', [entries[0]!, file('app/a.js', 4), entries[2]!], content, settings],
    ['a link target', [entries[0]!, entries[1]!, { ...entries[2]!, linkTarget: 'b.js' }], content, settings],
    [
      'a path',
      [entries[0]!, { ...entries[1]!, path: 'app/b.js' }, entries[2]!],
      new Map([['app/b.js', 'a'.repeat(64)]]),
      settings,
    ],
    [
      'an entry type',
      [{ ...entries[0]!, type: 'file' as const }, ...entries.slice(1)],
      new Map([...content, ['app', 'c'.repeat(64)]]),
      settings,
    ],
    ['the format', entries, content, { ...settings, format: 'tgz' as const }],
    ['the level', entries, content, { ...settings, level: 6 }],
    ['the timestamp', entries, content, { ...settings, mtime: new Date(0) }],
  ])('changes with %s', (_what, changedEntries, changedContent, changedSettings) => {
    expect(bundleFingerprint(changedEntries, changedContent, changedSettings)).not.toBe(base);
  });
});

describe('hashContents and filesChangedSinceScan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-fingerprint-'));
    await writeFile(join(dir, 'a.txt'), 'hello');
    await writeFile(join(dir, 'b.txt'), 'world');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes every file by path with SHA-256', async () => {
    const { hashes } = await hashContents(await scanRevision(dir));
    expect(hashes.get('a.txt')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect([...hashes.keys()]).toEqual(['a.txt', 'b.txt']);
  });

  it('sees an edit that keeps the size and the mtime', async () => {
    const scan = await scanRevision(dir);
    expect(await filesChangedSinceScan(scan)).toEqual([]);
    const before = await stat(join(dir, 'b.txt'));
    await writeFile(join(dir, 'b.txt'), 'w0rld');
    await utimes(join(dir, 'b.txt'), before.atime, before.mtime);
    expect(await filesChangedSinceScan(scan)).toEqual(['b.txt']);
  });

  it('refuses a file that changed size since the scan, naming it', async () => {
    const scan = await scanRevision(dir);
    await writeFile(join(dir, 'a.txt'), 'hello again');
    await expect(hashContents(scan)).rejects.toMatchObject({ entry: 'a.txt' });
  });
});
