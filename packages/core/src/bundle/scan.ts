import { isUtf8 } from 'node:buffer';
import { type BigIntStats, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BundleError, InvalidInputError } from '../errors/index.js';
import { assertSafeEntryName, sortByPathBytes } from './entry-names.js';
import { limitYoungGeneration } from './garbage.js';
import { type IgnoreMatch, type IgnoreRules, loadIgnoreRules } from './ignore-rules.js';
import { escapingSymlinks } from './symlinks.js';

export interface RevisionEntry {
  /** Relative to the revision root: '/'-separated, no leading './', no trailing '/'. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (the 0o7777 part), stored in the bundle as they are on disk. */
  mode: number;
  /** Bytes for files, 0 otherwise. */
  size: number;
  /** For symlinks, the target exactly as stored in the link. */
  linkTarget?: string;
  absolutePath: string;
  /**
   * For files, what the scan's lstat saw (device, inode, size, mtime and ctime in nanoseconds): any
   * write or rename changes it, so comparing it later tells whether the file was touched since (see
   * fingerprint.ts), and it keys the content-hash cache (content-cache.ts).
   */
  stamp?: string;
}

/** A path left out of the bundle, with the rule that left it out. */
export interface IgnoredPath {
  /** Relative to the revision root, '/'-separated. */
  path: string;
  /** An ignored folder is listed once, not its contents. */
  directory: boolean;
  rule: IgnoreMatch;
}

export interface RevisionScan {
  /** Absolute path of the revision folder. */
  root: string;
  /** Everything that goes into the bundle, sorted by the UTF-8 bytes of `path`. */
  entries: RevisionEntry[];
  /**
   * Paths left out by the default ignore list, the ignore file and `exclude`, sorted like `entries`
   * (an ignored folder is listed once, not its contents).
   */
  ignored: IgnoredPath[];
  /**
   * Bundled files that are hard links with a name outside the bundled tree (more links than names
   * in it): their content comes from wherever that other name lives. Sorted like `entries`.
   */
  outsideHardLinks: string[];
  /** Sum of the sizes of the files in `entries`. */
  totalBytes: number;
}

export interface ScanOptions {
  /** Extra gitignore-syntax patterns, applied after the ignore file. */
  exclude?: string[];
  /** Ignore file, relative to the root or absolute; `false` reads none. Default `.codedeployignore`. */
  ignoreFile?: string | false;
  /** `keep` (default) bundles links whose target stays inside the root; `refuse` rejects every link. */
  symlinks?: 'keep' | 'refuse';
}

/** The walk lets the event loop run after this many entries. */
const YIELD_ENTRIES = 512;

const LINK_HINT =
  'Replace the link with a copy of its target, or exclude it with --exclude or .codedeployignore.';

/** Link count and identity of a bundled file with more than one name, to find the names outside. */
interface LinkedFile {
  path: string;
  inode: string;
  links: number;
}

/**
 * Lists what a bundle of DIR will hold, without following symlinks. Directories are entries too, so
 * empty ones survive (`aws deploy push` drops them). The default ignore list, the ignore file and
 * `exclude` leave paths out; the ignore file itself is never bundled, and an ignored directory is not
 * descended into. Throws {@link BundleError} for anything that cannot be extracted safely: names with
 * backslashes or invalid UTF-8, links that leave the tree, sockets, fifos and devices, unreadable
 * directories.
 */
export async function scanRevision(dir: string, options: ScanOptions = {}): Promise<RevisionScan> {
  const root = resolve(dir);
  const rootStats = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`Cannot read the revision folder ${root}: ${error.message}`, {
      cause: error,
    });
  });
  if (!rootStats.isDirectory()) {
    throw new InvalidInputError(`${root} is not a folder`, {
      hint: 'Pass the folder that holds appspec.yml.',
    });
  }
  limitYoungGeneration();
  const rules = await loadIgnoreRules(root, options);
  const walk: DirectoryWalk = { found: [], ignored: [], linked: [], directories: [''] };
  // Synchronous calls, one directory at a time: a node_modules tree is thousands of tiny lstats, and
  // the promise and thread-pool round trip of each cost several times the call itself (measured: 2-4x
  // the CPU of the whole walk). Yielding between directories keeps timers and abort signals running.
  let sinceYield = 0;
  for (let relDir = walk.directories.pop(); relDir !== undefined; relDir = walk.directories.pop()) {
    const absDir = relDir === '' ? root : join(root, relDir);
    sinceYield += scanDirectory(absDir, relDir, rules, options.symlinks ?? 'keep', walk);
    if (sinceYield >= YIELD_ENTRIES) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const entries = sortByPathBytes(walk.found);
  const links = new Map(entries.filter((e) => e.type === 'symlink').map((e) => [e.path, e.linkTarget ?? '']));
  const [escaping] = escapingSymlinks(links);
  if (escaping !== undefined) {
    const { path, target } = escaping;
    throw new BundleError(
      escaping.reason === 'absolute'
        ? `Symlink ${path} -> ${target} is absolute, so it points outside the revision folder`
        : `Symlink ${path} -> ${target} points outside the revision folder`,
      { entry: path, hint: LINK_HINT },
    );
  }
  const totalBytes = entries.reduce((sum, e) => sum + e.size, 0);
  return {
    root,
    entries,
    ignored: sortByPathBytes(walk.ignored),
    outsideHardLinks: sortByPathBytes(namesLinkedOutside(walk.linked)).map((l) => l.path),
    totalBytes,
  };
}

/** What the walk collects, one directory at a time. */
interface DirectoryWalk {
  found: RevisionEntry[];
  ignored: IgnoredPath[];
  linked: LinkedFile[];
  /** Directories still to read. */
  directories: string[];
}

/** The files whose inode has more links than the tree has names for it: another name is elsewhere. */
function namesLinkedOutside(linked: LinkedFile[]): LinkedFile[] {
  const namesInTree = new Map<string, number>();
  for (const file of linked) namesInTree.set(file.inode, (namesInTree.get(file.inode) ?? 0) + 1);
  return linked.filter((file) => (namesInTree.get(file.inode) ?? 0) < file.links);
}

/** Adds what ABSDIR holds to WALK; returns how many names it read. */
function scanDirectory(
  absDir: string,
  relDir: string,
  rules: IgnoreRules,
  symlinks: 'keep' | 'refuse',
  walk: DirectoryWalk,
): number {
  let names: Buffer[];
  try {
    names = readdirSync(absDir, { encoding: 'buffer' });
  } catch (error) {
    throw unreadable(relDir || '.', error as NodeJS.ErrnoException);
  }
  for (const raw of names) {
    const name = raw.toString('utf8');
    const path = relDir === '' ? name : `${relDir}/${name}`;
    if (path === rules.ignoreFileEntry) continue;
    const absolutePath = join(absDir, name);
    let stats: BigIntStats;
    try {
      // bigint: the stamp needs the nanoseconds of mtime and ctime, which a float of ms rounds off.
      stats = lstatSync(isUtf8(raw) ? absolutePath : Buffer.concat([Buffer.from(`${absDir}/`), raw]), {
        bigint: true,
      });
    } catch (error) {
      throw unreadable(path, error as NodeJS.ErrnoException);
    }
    const rule = rules.match(path, stats.isDirectory());
    if (rule !== undefined) {
      walk.ignored.push({ path, directory: stats.isDirectory(), rule });
      continue;
    }
    if (!isUtf8(raw)) {
      throw new BundleError(`Refusing to bundle ${JSON.stringify(path)}: the name is not valid UTF-8`, {
        entry: path,
        hint: 'Rename the file to a UTF-8 name, or exclude it with --exclude or .codedeployignore.',
      });
    }
    assertSafeEntryName(path);
    if (stats.isFile() && stats.nlink > 1n)
      walk.linked.push({ path, inode: `${stats.dev}:${stats.ino}`, links: Number(stats.nlink) });
    const entry = toEntry(path, absolutePath, stats, symlinks);
    walk.found.push(entry);
    if (entry.type === 'directory') walk.directories.push(entry.path);
  }
  return names.length;
}

function toEntry(
  path: string,
  absolutePath: string,
  stats: BigIntStats,
  symlinks: 'keep' | 'refuse',
): RevisionEntry {
  const mode = Number(stats.mode & 0o7777n);
  if (stats.isDirectory()) return { path, type: 'directory', mode, size: 0, absolutePath };
  if (stats.isFile())
    return { path, type: 'file', mode, size: Number(stats.size), absolutePath, stamp: fileStamp(stats) };
  if (stats.isSymbolicLink()) {
    if (symlinks === 'refuse') {
      throw new BundleError(`Symlink ${path} is not allowed (symlinks: refuse)`, {
        entry: path,
        hint: LINK_HINT,
      });
    }
    let raw: Buffer;
    try {
      raw = readlinkSync(absolutePath, { encoding: 'buffer' });
    } catch (error) {
      throw unreadable(path, error as NodeJS.ErrnoException);
    }
    const linkTarget = raw.toString('utf8');
    if (!isUtf8(raw)) {
      throw new BundleError(`Symlink ${path} has a target that is not valid UTF-8`, {
        entry: path,
        hint: LINK_HINT,
      });
    }
    return { path, type: 'symlink', mode, size: 0, linkTarget, absolutePath };
  }
  throw new BundleError(
    `Refusing to bundle ${path}: it is a ${specialKind(stats)}, not a file, folder or symlink`,
    {
      entry: path,
      hint: 'Exclude it with --exclude or .codedeployignore.',
    },
  );
}

/** See {@link RevisionEntry.stamp}. */
export function fileStamp(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

function specialKind(stats: BigIntStats): string {
  if (stats.isFIFO()) return 'named pipe (fifo)';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice()) return 'block device';
  return 'character device';
}

function unreadable(path: string, error: NodeJS.ErrnoException): BundleError {
  return new BundleError(
    `Cannot read ${path}: ${error.code === 'EACCES' ? 'permission denied' : error.message}`,
    {
      entry: path,
      hint: 'Make it readable by the user running codedeploy-gate, or exclude it.',
      cause: error,
    },
  );
}
