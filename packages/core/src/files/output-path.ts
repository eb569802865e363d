import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, lstat, mkdir, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidInputError } from '../errors/index.js';
import { fileKind } from './file-kind.js';

export interface OutputPathOptions {
  /** The file's role, for messages: `the bundle`, `--report-json`. */
  what: string;
  /** Missing folders on the way are created when writing (reports); otherwise the folder must exist. */
  createFolders?: boolean | undefined;
}

/** Where an output file goes, once its path was checked. */
export interface OutputTarget {
  /**
   * The path to write: the given one, absolute, with any symbolic links at its end followed — a link
   * keeps pointing where it pointed, at the new file.
   */
  path: string;
  /** A regular file is there now; it is replaced whole. */
  exists: boolean;
}

/** Linux gives up after 40 links in one path; so do we. */
const MAX_LINKS = 40;

const NOT_A_FILE_HINT =
  'Name a regular file (it is replaced whole) or a new one in an existing folder; devices, pipes, sockets and folders are never written to.';

/**
 * Checks that PATH can be written as a regular file, before any work that would end in writing it:
 * it is absent or a regular file (a symlink counts as its final target), and its folder is a writable
 * folder (with `createFolders`, the nearest existing one). A device (`/dev/null`, `/dev/full`), named
 * pipe, socket or folder is an {@link InvalidInputError} (exit 2), and nothing is touched.
 */
export async function checkOutputPath(path: string, options: OutputPathOptions): Promise<OutputTarget> {
  const given = resolve(path);
  let current = given;
  for (let links = 0; ; links++) {
    const shown = current === given ? given : `${given} (a link to ${current})`;
    const stats = await lstatOrAbsent(current, shown, options);
    if (stats === undefined) {
      await checkFolder(dirname(current), shown, options);
      return { path: current, exists: false };
    }
    if (stats.isSymbolicLink()) {
      if (links === MAX_LINKS) throw refuse(options, shown, 'is a symbolic link that loops', NOT_A_FILE_HINT);
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (!stats.isFile()) {
      const hint = stats.isDirectory()
        ? `Name the file to write inside the folder (${join(current, 'NAME')}), not the folder itself.`
        : NOT_A_FILE_HINT;
      throw refuse(options, shown, `is ${fileKind(stats)}, not a regular file`, hint);
    }
    await checkFolder(dirname(current), shown, options);
    return { path: current, exists: true };
  }
}

/**
 * Run just before a temporary file is renamed over TARGET: replacing it is still safe (it is absent,
 * a regular file, or a link, which the rename replaces without writing through it). Whatever else
 * appeared there meanwhile is left as it is.
 */
export async function checkReplaceable(target: string, what: string): Promise<void> {
  const stats = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats === undefined || stats.isFile() || stats.isSymbolicLink()) return;
  throw new InvalidInputError(
    `${what} ${target} became ${fileKind(stats)} while it was being written; it was left as it is`,
    { hint: NOT_A_FILE_HINT },
  );
}

/** The temporary file an output is written to, beside it, before it is renamed into place. */
export function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes CONTENT to PATH whole or not at all: the path is checked as {@link checkOutputPath} does, the
 * bytes go to a temporary file beside the target, which is renamed over it. Returns the path written.
 */
export async function writeOutputFile(
  path: string,
  content: string | Uint8Array,
  options: OutputPathOptions,
): Promise<string> {
  const target = await checkOutputPath(path, options);
  if (options.createFolders) await mkdir(dirname(target.path), { recursive: true });
  const temp = tempPathBeside(target.path);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await checkReplaceable(target.path, options.what);
    await rename(temp, target.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return target.path;
}

async function lstatOrAbsent(
  path: string,
  shown: string,
  options: OutputPathOptions,
): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // a part of the path is a file: checkFolder names it
    throw refuse(
      options,
      shown,
      `cannot be written: ${(error as Error).message}`,
      'Check the path and its permissions.',
    );
  }
}

/**
 * The folder an output goes to: the nearest part of DIR that exists must be a writable folder, and,
 * unless folders are created, DIR itself.
 */
async function checkFolder(dir: string, shown: string, options: OutputPathOptions): Promise<void> {
  let folder = dir;
  let stats: Stats | undefined;
  for (;;) {
    stats = await stat(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw refuse(
        options,
        shown,
        `cannot be written: ${error.message}`,
        'Check the path and its permissions.',
      );
    });
    if (stats !== undefined || dirname(folder) === folder) break;
    folder = dirname(folder);
  }
  if (stats === undefined)
    throw refuse(options, shown, 'cannot be written: no part of its folder exists', 'Check the path.');
  if (!stats.isDirectory()) {
    throw refuse(
      options,
      shown,
      `cannot be written: ${folder} is ${fileKind(stats)}, not a folder`,
      'Write to a path whose folders are folders.',
    );
  }
  if (folder !== dir && !options.createFolders) {
    throw refuse(
      options,
      shown,
      `cannot be written: the folder ${dir} does not exist`,
      'Create the folder first, or write elsewhere.',
    );
  }
  await access(folder, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw refuse(
      options,
      shown,
      `cannot be written: the folder ${folder} is not writable (${error.code === 'EROFS' ? 'read-only file system' : 'permission denied'})`,
      'Write to a folder this user may write to.',
    );
  });
}

function refuse(options: OutputPathOptions, shown: string, problem: string, hint: string): InvalidInputError {
  return new InvalidInputError(`${options.what} ${shown} ${problem}; nothing was written`, { hint });
}
