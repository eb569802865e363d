import type { ListedEntry } from './bundle-entries.js';
import type { FileChange, FileChanges } from './model.js';

/**
 * The files and symlinks added, removed and changed between two bundle listings, by path. A file
 * changed when its size, mode, type or CRC-32 differs; directories only matter through what they hold.
 */
export function diffEntries(
  live: ReadonlyMap<string, ListedEntry>,
  next: ReadonlyMap<string, ListedEntry>,
): FileChanges {
  const entries: FileChange[] = [];
  let unchanged = 0;
  for (const [path, entry] of next) {
    if (entry.type === 'directory') continue;
    const before = live.get(path);
    if (before === undefined || before.type === 'directory') {
      entries.push({ path, change: 'added', size: entry.size, mode: entry.mode });
    } else if (
      before.type !== entry.type ||
      before.size !== entry.size ||
      before.mode !== entry.mode ||
      before.crc32 !== entry.crc32
    ) {
      entries.push({
        path,
        change: 'changed',
        size: entry.size,
        mode: entry.mode,
        previousSize: before.size,
        previousMode: before.mode,
      });
    } else {
      unchanged++;
    }
  }
  for (const [path, entry] of live) {
    if (entry.type === 'directory') continue;
    const after = next.get(path);
    if (after === undefined || after.type === 'directory') {
      entries.push({ path, change: 'removed', previousSize: entry.size, previousMode: entry.mode });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const count = (change: FileChange['change']) => entries.filter((e) => e.change === change).length;
  return { added: count('added'), removed: count('removed'), changed: count('changed'), unchanged, entries };
}
