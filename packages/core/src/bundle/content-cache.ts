import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { RevisionEntry } from './scan.js';

/**
 * A local cache of file contents' SHA-256, keyed by path and lstat stamp (device, inode, size,
 * mtime and ctime in nanoseconds, see {@link RevisionEntry.stamp}), one file per revision root in the
 * user's cache folder. It lets a push of an unchanged tree fingerprint it without reading it; it is
 * never used to build or upload a bundle (see push-revision.ts).
 */

/** Disables the cache when set to anything but '' or '0'. */
export const NO_CACHE_VARIABLE = 'CODEDEPLOY_GATE_NO_CACHE';
/** A tree with more files than this is not cached (its cache file would pass ~40 MiB). */
const MAX_ENTRIES = 250_000;
/** A cache file larger than this is ignored, whatever wrote it. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Cache files kept (one per revision root); the least recently written go first. */
const MAX_TREES = 32;
/**
 * A file changed less than this long before it was hashed is hashed again next time rather than
 * cached: a write in the same timestamp tick as our lstat would leave its stamp as it was (ext4 ticks
 * are a few ms, FAT's 2 s).
 */
export const SETTLE_MS = 2_000;
const MAGIC = 'codedeploy-gate content hashes v1';
const LINE = /^([0-9a-f]{64}) (\d+:\d+:\d+:\d+:\d+) (".*")$/;

interface CachedHash {
  stamp: string;
  sha256: string;
}

/**
 * The user's cache folder for content hashes: `$XDG_CACHE_HOME/codedeploy-gate/content-hashes`, else
 * `~/.cache/codedeploy-gate/content-hashes`; undefined when `CODEDEPLOY_GATE_NO_CACHE` disables it or
 * there is no home folder.
 */
export function defaultContentCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const disabled = env[NO_CACHE_VARIABLE];
  if (disabled !== undefined && disabled !== '' && disabled !== '0') return undefined;
  const xdg = env.XDG_CACHE_HOME;
  let base: string;
  if (xdg !== undefined && isAbsolute(xdg)) base = xdg;
  else {
    let home = env.HOME;
    try {
      home ||= homedir();
    } catch {
      return undefined;
    }
    if (!home) return undefined;
    base = join(home, '.cache');
  }
  return join(base, 'codedeploy-gate', 'content-hashes');
}

/** The cache of one revision root: what the last push recorded, and what this one will record. */
export class ContentHashCache {
  private readonly known: Map<string, CachedHash>;
  private readonly next = new Map<string, CachedHash>();

  private constructor(
    private readonly file: string,
    private readonly root: string,
    known: Map<string, CachedHash>,
  ) {
    this.known = known;
  }

  /**
   * The cache of ROOT in DIR, empty when there is none or it cannot be read, is damaged or was
   * written for another root. Undefined when DIR lies inside ROOT: the cache would end up in the
   * bundle and change it on every push.
   */
  static async open(dir: string, root: string): Promise<ContentHashCache | undefined> {
    const inside = relative(root, dir);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return undefined;
    const file = join(dir, `${createHash('sha256').update(root).digest('hex')}.txt`);
    return new ContentHashCache(file, root, await readCacheFile(file, root));
  }

  /** The cached SHA-256 of ENTRY's content when its stamp is the one cached with it. */
  lookup(entry: RevisionEntry): string | undefined {
    const cached = this.known.get(entry.path);
    if (cached === undefined || entry.stamp === undefined || cached.stamp !== entry.stamp) return undefined;
    this.next.set(entry.path, cached);
    return cached.sha256;
  }

  /** Records ENTRY's content hash, read from the file while its stamp was ENTRY's. */
  remember(entry: RevisionEntry, sha256: string): void {
    if (entry.stamp !== undefined) this.next.set(entry.path, { stamp: entry.stamp, sha256 });
  }

  /** Drops what the cache said about PATHS: they are read again and remembered anew. */
  forget(paths: Iterable<string>): void {
    for (const path of paths) {
      this.known.delete(path);
      this.next.delete(path);
    }
  }

  /**
   * Writes what was looked up or remembered since opening (so files no longer in the tree drop out),
   * atomically (a temporary file renamed over), when it differs from what was read. Never fails: a
   * cache that cannot be written costs the next push a full read, nothing else.
   */
  async save(): Promise<void> {
    if (this.next.size > MAX_ENTRIES || sameHashes(this.known, this.next)) return;
    const dir = join(this.file, '..');
    const temporary = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const body = [...this.next]
        .map(([path, c]) => `${c.sha256} ${c.stamp} ${JSON.stringify(path)}\n`)
        .join('');
      const rest = `${JSON.stringify(this.root)}\n${body}`;
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(`${MAGIC} ${createHash('sha256').update(rest).digest('hex')}\n${rest}`);
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
      await pruneOldTrees(dir);
    } catch {
      await rm(temporary, { force: true }).catch(() => {});
    }
  }
}

function sameHashes(a: ReadonlyMap<string, CachedHash>, b: ReadonlyMap<string, CachedHash>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, hash] of b) {
    const other = a.get(path);
    if (other === undefined || other.stamp !== hash.stamp || other.sha256 !== hash.sha256) return false;
  }
  return true;
}

/** FILE's entries, or none when it is missing, too large, damaged or another root's. */
async function readCacheFile(file: string, root: string): Promise<Map<string, CachedHash>> {
  const empty = new Map<string, CachedHash>();
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined || size > MAX_FILE_BYTES) return empty;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? empty : (parseCacheFile(text, root) ?? empty);
}

/** The entries of a cache file's TEXT, or undefined when anything in it is not as written. */
export function parseCacheFile(text: string, root: string): Map<string, CachedHash> | undefined {
  const headEnd = text.indexOf('\n');
  if (headEnd < 0 || text.slice(0, headEnd) !== `${MAGIC} ${sha256Of(text.slice(headEnd + 1))}`)
    return undefined;
  const lines = text.slice(headEnd + 1).split('\n');
  if (lines.pop() !== '' || lines.shift() !== JSON.stringify(root)) return undefined;
  const hashes = new Map<string, CachedHash>();
  for (const line of lines) {
    const match = LINE.exec(line);
    if (match === null) return undefined;
    let path: unknown;
    try {
      path = JSON.parse(match[3] as string);
    } catch {
      return undefined;
    }
    if (typeof path !== 'string') return undefined;
    hashes.set(path, { sha256: match[1] as string, stamp: match[2] as string });
  }
  return hashes;
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keeps the {@link MAX_TREES} most recently written cache files of DIR. */
async function pruneOldTrees(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => /^[0-9a-f]{64}\.txt$/.test(name));
  if (names.length <= MAX_TREES) return;
  const written = await Promise.all(
    names.map(async (name) => ({
      name,
      mtime: await stat(join(dir, name)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    })),
  );
  written.sort((a, b) => b.mtime - a.mtime);
  await Promise.all(written.slice(MAX_TREES).map((f) => rm(join(dir, f.name), { force: true })));
}
