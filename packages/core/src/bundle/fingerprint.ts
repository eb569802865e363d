import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { BundleError } from '../errors/index.js';
import { type ContentHashCache, SETTLE_MS } from './content-cache.js';
import type { BundleFormat } from './format.js';
import { fileStamp, type RevisionEntry, type RevisionScan } from './scan.js';
import { resolveBundleMtime } from './timestamps.js';
import { DEFAULT_LEVEL } from './write-bundle.js';

/**
 * Version of the bundle layout: bump it whenever the writer would turn the same tree into different
 * bytes (member order, headers, which files are stored, block sizes). It is part of every
 * fingerprint, so bundles written by an older layout are never mistaken for the current one.
 * 2: already-compressed types (png, jpg, zip, woff2, ...) are stored, not deflated.
 */
export const BUNDLE_LAYOUT_VERSION = 2;

/** Everything besides the tree that decides the bundle's bytes (concurrency does not). */
export interface FingerprintSettings {
  format: BundleFormat;
  /** Deflate level 0-9. */
  level: number;
  /** The one timestamp of every entry. */
  mtime: Date;
}

/** The settings {@link writeBundle} would use for these options (defaults filled in). */
export function fingerprintSettings(options: {
  format: BundleFormat;
  level?: number;
  mtime?: Date;
}): FingerprintSettings {
  return {
    format: options.format,
    level: options.level ?? DEFAULT_LEVEL,
    mtime: resolveBundleMtime(options.mtime),
  };
}

const READ_BUFFER = 1024 * 1024;
/** Hashing yields to the event loop after this many bytes, so abort signals and timers still run. */
const YIELD_BYTES = 8 * 1024 * 1024;

/**
 * The SHA-256 of what decides a bundle's bytes: the layout version, zlib's version (another deflate
 * implementation may compress differently), the format, level and timestamp, and for every entry in
 * bundle order its type, path, permission bits, size and the SHA-256 of its content (files) or its
 * target (symlinks). Two trees with the same fingerprint bundle to the same bytes, so a bundle found
 * under it need not be built again. Pure: CONTENT holds the files' hashes by path.
 */
export function bundleFingerprint(
  entries: readonly RevisionEntry[],
  content: ReadonlyMap<string, string>,
  settings: FingerprintSettings,
): string {
  const hash = createHash('sha256');
  const head = ['codedeploy-gate bundle', BUNDLE_LAYOUT_VERSION, process.versions.zlib ?? 'unknown'];
  hash.update(`${JSON.stringify([...head, settings.format, settings.level, settings.mtime.getTime()])}\n`);
  for (const entry of entries) {
    let body: string;
    if (entry.type === 'file') {
      const digest = content.get(entry.path);
      if (digest === undefined) throw new Error(`No content hash for ${entry.path}`);
      body = digest;
    } else body = entry.type === 'symlink' ? (entry.linkTarget ?? '') : '';
    hash.update(`${JSON.stringify([entry.type, entry.path, entry.mode, entry.size, body])}\n`);
  }
  return hash.digest('hex');
}

/** Content SHA-256 of every file of a scan, by path. */
export interface ContentHashes {
  hashes: Map<string, string>;
  /** The paths whose hash came from the content-hash cache rather than from reading the file. */
  fromCache: Set<string>;
}

export interface HashOptions {
  signal?: AbortSignal | undefined;
  /** Hashes looked up here (by path and stamp) are not read; hashes read are remembered here. */
  cache?: ContentHashCache | undefined;
  /** Hashes already read from the files in this push, by path: taken as they are. */
  read?: ReadonlyMap<string, string>;
}

/**
 * Returns the content SHA-256 of every file of SCAN by path, reading each file once unless OPTIONS
 * already have its hash. A file whose size differs from the scan's, or that cannot be read, fails as
 * the bundle writer would. A hash read is remembered in the cache only when the file's stamp was the
 * scan's before and after the read and its last change is older than {@link SETTLE_MS}: then any
 * later write changes the stamp the cache keys it by.
 */
export async function hashContents(scan: RevisionScan, options: HashOptions = {}): Promise<ContentHashes> {
  const { cache, read, signal } = options;
  const buffer = Buffer.allocUnsafe(READ_BUFFER);
  const hashes = new Map<string, string>();
  const fromCache = new Set<string>();
  let sinceYield = 0;
  for (const entry of scan.entries) {
    if (entry.type !== 'file') continue;
    const known = read?.get(entry.path);
    if (known !== undefined) {
      hashes.set(entry.path, known);
      continue;
    }
    const cached = cache?.lookup(entry);
    if (cached !== undefined) {
      hashes.set(entry.path, cached);
      fromCache.add(entry.path);
      continue;
    }
    const { sha256, settled } = hashFile(entry, buffer);
    hashes.set(entry.path, sha256);
    if (settled) cache?.remember(entry, sha256);
    sinceYield += entry.size + 4096;
    if (sinceYield >= YIELD_BYTES) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    }
  }
  return { hashes, fromCache };
}

/**
 * The files of SCAN whose lstat changed since the scan (written, replaced, renamed over): when there
 * are none after bundling, the bundle holds what the fingerprint describes. ctime changes on every
 * write and cannot be set back, so an edit that keeps size and mtime is seen too; only a write in the
 * same clock tick as the scan's lstat can pass unnoticed.
 */
export async function filesChangedSinceScan(scan: RevisionScan): Promise<string[]> {
  const changed: string[] = [];
  const files = scan.entries.filter((e) => e.type === 'file');
  for (let start = 0; start < files.length; start += 64) {
    await Promise.all(
      files.slice(start, start + 64).map(async (entry) => {
        const stats = await lstat(entry.absolutePath, { bigint: true }).catch(() => undefined);
        if (stats === undefined || !stats.isFile() || fileStamp(stats) !== entry.stamp)
          changed.push(entry.path);
      }),
    );
  }
  return changed.sort();
}

/** ENTRY's content hash, and whether it may be cached (see {@link hashContents}). */
function hashFile(entry: RevisionEntry, buffer: Buffer): { sha256: string; settled: boolean } {
  const hash = createHash('sha256');
  let settled: boolean;
  let fd: number;
  try {
    fd = openSync(entry.absolutePath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw changedOrUnreadable(entry, error as NodeJS.ErrnoException);
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    if (Number(before.size) !== entry.size) throw changedOrUnreadable(entry);
    let done = 0;
    while (done < entry.size) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, entry.size - done), done);
      if (n === 0) throw changedOrUnreadable(entry);
      hash.update(buffer.subarray(0, n));
      done += n;
    }
    const stamp = fileStamp(before);
    settled =
      stamp === entry.stamp &&
      fileStamp(fstatSync(fd, { bigint: true })) === stamp &&
      Number(before.ctimeNs / 1_000_000n) < Date.now() - SETTLE_MS;
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), settled };
}

function changedOrUnreadable(entry: RevisionEntry, error?: NodeJS.ErrnoException): BundleError {
  const why =
    error === undefined
      ? `changed size while it was being read (was ${entry.size} bytes)`
      : error.code === 'EACCES'
        ? 'cannot read it: permission denied'
        : error.code === 'ELOOP'
          ? 'it was replaced by a symlink while it was being read'
          : `cannot read it: ${error.message}`;
  return new BundleError(`Cannot bundle ${entry.path}: ${why}`, {
    entry: entry.path,
    hint: 'Make sure nothing modifies the revision folder while it is being bundled, and that every file is readable.',
    ...(error === undefined ? {} : { cause: error }),
  });
}
