import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { InvalidInputError } from '../errors/index.js';
import { fileKind, formatLimit } from './file-kind.js';

export interface RegularFileOptions {
  /** The file's role, for messages: `the appspec file`, `the task definition file`, `--compute`. */
  what: string;
  /** What to do when the path is not a regular file (default: give a regular file). */
  hint?: string | undefined;
}

export interface ReadRegularFileOptions extends RegularFileOptions {
  /** Larger files are refused; no more than this plus one byte is ever read. */
  maxBytes: number;
  /** What to do about a file over the limit (default: check the path). */
  sizeHint?: string | undefined;
}

/** A regular file opened for reading, its type and size taken from the open descriptor. */
export interface OpenedRegularFile {
  path: string;
  handle: FileHandle;
  size: number;
}

/*
 * O_NONBLOCK: opening a named pipe for reading waits for a writer, possibly forever; without waiting,
 * the open returns at once and fstat refuses the pipe. It changes nothing for a regular file.
 * O_NOCTTY: opening a terminal device never makes it this process's controlling terminal.
 */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Opens PATH (symlinks followed) and checks, on the open descriptor, that it is a regular file: a
 * device, pipe, socket or folder is refused with an {@link InvalidInputError} (exit 2) before a byte
 * is read, and what is read afterwards is the file that was checked. The caller closes the handle.
 */
export async function openRegularFile(path: string, options: RegularFileOptions): Promise<OpenedRegularFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException, options);
  }
  try {
    const stats = await handle.stat();
    refuseIrregular(path, stats, options);
    return { path, handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The content of an opened regular file, refused when it is larger than `maxBytes` — by its size when
 * opened, or when it grows past the limit while being read (at most `maxBytes + 1` bytes are read).
 */
export async function readOpenedFile(
  file: OpenedRegularFile,
  options: ReadRegularFileOptions,
): Promise<Buffer> {
  let buffer = firstBuffer(file.path, file.size, options);
  let length = 0;
  for (;;) {
    const { bytesRead } = await file.handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
    if (length === buffer.length) buffer = grown(file.path, buffer, options);
  }
}

/**
 * A user-given file's content, read only when PATH is a regular file of at most `maxBytes`: a named
 * pipe, `/dev/zero`, a socket or a folder is refused (exit 2) without blocking and without reading,
 * and no more than `maxBytes + 1` bytes are ever read. Type and size come from the open descriptor,
 * so nothing can be swapped in between the check and the read.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Buffer> {
  const file = await openRegularFile(path, options);
  try {
    return await readOpenedFile(file, options);
  } finally {
    await file.handle.close();
  }
}

/** {@link readRegularFile} for synchronous callers (settings checked while a front end reads its inputs). */
export function readRegularFileSync(path: string, options: ReadRegularFileOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw openError(path, error as NodeJS.ErrnoException, options);
  }
  try {
    const stats = fstatSync(fd);
    refuseIrregular(path, stats, options);
    let buffer = firstBuffer(path, stats.size, options);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
      if (length === buffer.length) buffer = grown(path, buffer, options);
    }
  } finally {
    closeSync(fd);
  }
}

const IRREGULAR_HINT = 'Give the path of a regular file: devices, pipes, sockets and folders are not read.';

function refuseIrregular(path: string, stats: Stats, options: RegularFileOptions): void {
  if (stats.isFile()) return;
  throw new InvalidInputError(`${options.what} ${path} is ${fileKind(stats)}, not a regular file`, {
    hint: options.hint ?? IRREGULAR_HINT,
  });
}

function tooLarge(path: string, size: string, options: ReadRegularFileOptions): InvalidInputError {
  return new InvalidInputError(
    `${options.what} ${path} is ${size}, more than the ${formatLimit(options.maxBytes)} limit`,
    { hint: options.sizeHint ?? 'Check that the path names the file meant: none should be this large.' },
  );
}

/** Room for the whole file as it was opened, plus the one byte that shows it grew. */
function firstBuffer(path: string, size: number, options: ReadRegularFileOptions): Buffer {
  if (size > options.maxBytes) throw tooLarge(path, `${size} bytes`, options);
  return Buffer.allocUnsafe(size + 1);
}

/** The file grew while being read: more room, up to one byte past the limit. */
function grown(path: string, buffer: Buffer, options: ReadRegularFileOptions): Buffer {
  if (buffer.length > options.maxBytes) throw tooLarge(path, 'growing', options);
  const next = Buffer.allocUnsafe(Math.min(buffer.length * 2, options.maxBytes + 1));
  buffer.copy(next);
  return next;
}

function openError(
  path: string,
  error: NodeJS.ErrnoException,
  options: RegularFileOptions,
): InvalidInputError {
  // open() of a unix socket fails with ENXIO: say what it is.
  const irregular = error.code === 'ENXIO';
  return new InvalidInputError(
    `${options.what} ${path} ${irregular ? `is ${kindOf(path)}, not a regular file` : openFailure(error)}`,
    {
      hint: options.hint ?? (irregular ? IRREGULAR_HINT : 'Check the path and its permissions.'),
      cause: error,
    },
  );
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
      return 'cannot be read: permission denied';
    case 'ELOOP':
      return 'is a symbolic link that loops';
    case 'ENOTDIR':
      return 'cannot be read: a part of its path is not a folder';
    default:
      return `cannot be read: ${error.message}`;
  }
}

function kindOf(path: string): string {
  try {
    return fileKind(statSync(path));
  } catch {
    return 'not a regular file';
  }
}
