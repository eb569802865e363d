import { type FileHandle, open } from 'node:fs/promises';
import { InvalidInputError } from '../../errors/index.js';
import { corruptBundle } from './errors.js';
import { openTar } from './tar.js';
import type { BundleReader } from './types.js';
import { openZip } from './zip.js';

const PROBE_SIZE = 512;

type Format = BundleReader['format'];

/** The bundle format from the first bytes; CodeDeploy is told the type, so the extension proves nothing. */
export function detectFormat(head: Buffer): Format | undefined {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    if ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06)) return 'zip';
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tgz';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/** An open bundle file whose format is known from its first bytes. */
export interface ProbedBundle {
  handle: FileHandle;
  size: number;
  format: Format;
}

/**
 * Opens FILE and detects its format. Throws {@link InvalidInputError} when the file cannot be opened
 * and BundleError when it is not a bundle; the caller closes the handle.
 */
export async function probeBundle(file: string): Promise<ProbedBundle> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new InvalidInputError(`Cannot open the bundle ${file}: ${what}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InvalidInputError(`The bundle ${file} is not a regular file`);
    if (stats.size === 0) throw corruptBundle(file, 'the file is empty');
    const head = Buffer.alloc(Math.min(PROBE_SIZE, stats.size));
    await handle.read(head, 0, head.length, 0);
    const format = detectFormat(head);
    if (format === undefined) {
      throw corruptBundle(
        file,
        `not a zip, tar or tgz bundle (starts with ${head.subarray(0, 8).toString('hex')})`,
      );
    }
    return { handle, size: stats.size, format };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Opens a zip, tar or tgz bundle and lists its entries. Throws {@link InvalidInputError} when the file
 * cannot be opened and BundleError when it is not a bundle, is truncated or is damaged.
 */
export async function openBundle(file: string): Promise<BundleReader> {
  const { handle, size, format } = await probeBundle(file);
  let keepOpen = false;
  try {
    if (format === 'zip') {
      const reader = await openZip(file, handle, size);
      keepOpen = true;
      return reader;
    }
    return await openTar(file, format === 'tgz');
  } finally {
    if (!keepOpen) await handle.close();
  }
}
