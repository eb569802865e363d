import { constants } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, open, realpath, symlink, unlink } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BundleError, isGateError } from '../../errors/index.js';
import { asBundleError } from './errors.js';
import { probeBundle } from './open.js';
import { normalizeEntryName, UnsafeEntryCollector } from './paths.js';
import { streamTar } from './tar.js';
import type { BundleEntryInfo } from './types.js';
import { listZipMembers, streamZipMember } from './zip.js';

/** Options of {@link extractBundle}. */
export interface ExtractBundleOptions {
  /** Aborting stops between (and during) entries and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Archives without permission bits (zips made on Windows) get what unzip gives under umask 022. */
const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_DIRECTORY_MODE = 0o755;
/** O_EXCL after unlinking means a file is never written through a symlink that raced in. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Unpacks a zip, tar or tgz bundle into DESTINATION (created if missing) the way the agent's
 * `tar -xpsf` / `unzip -qo` do: every entry at its path, permission bits restored (setuid/setgid
 * included, as far as the file system lets a non-root user), symlinks recreated as symlinks, tar hard
 * links as hard links, a later entry replacing an earlier one of the same name. File contents stream
 * to disk, so bundles larger than memory unpack in constant memory. Nothing is stripped: the agent's
 * single-top-level-folder rule is the caller's ({@link bundleRoot}).
 *
 * Refuses (BundleError) unsafe names ('..', absolute, backslash, NUL), entries below a symlink of the
 * archive (which would write through it), devices and FIFOs: a zip before anything is written, a tar
 * when the entry is reached (the caller removes DESTINATION on failure). Modification times are not
 * restored; bundles carry one fixed timestamp anyway.
 */
export async function extractBundle(
  file: string,
  destination: string,
  options: ExtractBundleOptions = {},
): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  await mkdir(destination, { recursive: true });
  const writer = new EntryWriter(file, await realpath(destination), signal);
  const { handle, size, format } = await probeBundle(file);
  try {
    if (format === 'zip') {
      const { members, unsafeEntries } = await listZipMembers(file, handle, size).catch((error: unknown) => {
        throw asBundleError(file, error);
      });
      if (unsafeEntries.length > 0) throw refused(file, unsafeEntries[0]!);
      for (const member of members) {
        await writer.write(
          member.info,
          member.info.type === 'file' ? streamZipMember(file, handle, member) : undefined,
        );
      }
    } else {
      await handle.close();
      const unsafe = new UnsafeEntryCollector();
      await streamTar(file, format === 'tgz', async ({ raw, entry, hardLinkTarget, content }) => {
        if (entry === undefined) throw refused(file, raw, 'it is a device or FIFO');
        if (unsafe.check(raw, entry.path === '' ? undefined : entry, hardLinkTarget))
          throw refused(file, raw);
        if (entry.path === '') return;
        if (hardLinkTarget !== undefined) await writer.hardLink(entry);
        else await writer.write(entry, content);
      });
    }
    await writer.finish();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    await handle.close().catch(() => {});
  }
}

function refused(file: string, raw: string, why = 'it would land outside the destination'): BundleError {
  return new BundleError(`Refusing to extract ${JSON.stringify(raw)} from the bundle ${file}: ${why}`, {
    entry: raw,
    hint: 'Rebuild the bundle from a plain folder: no absolute paths, no "..", nothing below a symlink.',
  });
}

/** Writes entries below one real (symlink-free) destination folder. */
class EntryWriter {
  /** Directories and their modes, applied last: a read-only directory would refuse its children. */
  private readonly directories = new Map<string, number>();
  private readonly symlinks = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async write(entry: BundleEntryInfo, content: AsyncIterable<Buffer> | undefined): Promise<void> {
    this.signal?.throwIfAborted();
    const target = this.pathOf(entry.path);
    try {
      if (entry.type === 'directory') {
        await this.directory(target, entry.mode);
        return;
      }
      await this.prepare(entry.path, target);
      if (entry.type === 'symlink') {
        await symlink(entry.linkTarget ?? '', target);
        this.symlinks.add(entry.path);
        return;
      }
      const mode = entry.mode === 0 ? DEFAULT_FILE_MODE : entry.mode;
      const output = await open(target, CREATE_FLAGS, 0o600);
      await pipeline(content ?? [], output.createWriteStream(), this.signal ? { signal: this.signal } : {});
      await chmod(target, mode);
    } catch (error) {
      throw this.failed(entry.path, error);
    }
  }

  /** A tar hard link: linked to the entry extracted earlier under its target name, else copied. */
  async hardLink(entry: BundleEntryInfo): Promise<void> {
    this.signal?.throwIfAborted();
    const targetName = normalizeEntryName(entry.linkTarget ?? '');
    if (this.symlinks.has(targetName)) throw refused(this.file, entry.path, 'it hard-links a symlink');
    const target = this.pathOf(entry.path);
    const source = this.pathOf(targetName);
    try {
      await this.prepare(entry.path, target);
      await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPERM' && error.code !== 'EXDEV') throw error;
        await copyFile(source, target, constants.COPYFILE_EXCL);
      });
    } catch (error) {
      throw this.failed(entry.path, error);
    }
  }

  async finish(): Promise<void> {
    const deepestFirst = [...this.directories].sort(([a], [b]) => b.length - a.length);
    for (const [path, mode] of deepestFirst) await chmod(path, mode);
  }

  private pathOf(path: string): string {
    const target = resolve(this.root, path);
    if (target === this.root || !target.startsWith(this.root + sep)) throw refused(this.file, path);
    return target;
  }

  private async directory(target: string, mode: number): Promise<void> {
    const existing = await lstat(target).catch(() => undefined);
    if (existing !== undefined && !existing.isDirectory()) await unlink(target);
    if (existing?.isDirectory() !== true) await this.parents(target);
    await mkdir(target, { recursive: true, mode: 0o700 });
    this.directories.set(target, mode === 0 ? DEFAULT_DIRECTORY_MODE : mode);
  }

  /** Creates missing parents and removes an earlier entry of the same name, as tar does. */
  private async prepare(path: string, target: string): Promise<void> {
    await this.parents(target);
    const existing = await lstat(target).catch(() => undefined);
    if (existing === undefined) return;
    if (existing.isDirectory()) throw new Error(`${path} is already a directory`);
    await unlink(target);
    this.symlinks.delete(path);
  }

  private async parents(target: string): Promise<void> {
    const parent = dirname(target);
    if (parent === this.root) return;
    // Parents listed only through their children get the default mode, like tar's implied directories.
    for (let dir = parent; dir !== this.root && !this.directories.has(dir); dir = dirname(dir)) {
      this.directories.set(dir, DEFAULT_DIRECTORY_MODE);
    }
    await mkdir(parent, { recursive: true, mode: 0o700 });
    // Names were checked and nothing below a symlink entry is written, so this only guards against a
    // symlink that was already in DESTINATION.
    const real = await realpath(parent);
    if (real !== this.root && !real.startsWith(this.root + sep)) {
      throw refused(this.file, relative(this.root, target), 'its folder is a symlink leading out');
    }
  }

  private failed(path: string, error: unknown): unknown {
    if (isGateError(error) || this.signal?.aborted) return error;
    const what = (error as Error).message ?? String(error);
    return new BundleError(`Cannot extract ${path} from the bundle ${this.file}: ${what}`, {
      entry: path,
      cause: error,
      hint: 'Is the disk full, or is the destination not writable?',
    });
  }
}
