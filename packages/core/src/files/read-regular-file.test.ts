import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSocket, listenOnSocket, makeFifo, sparseFile } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { readRegularFile, readRegularFileSync } from './read-regular-file.js';

const MiB = 1024 * 1024;
const LIMIT = { what: 'the appspec', maxBytes: 16 * MiB };

let work: string;
let socket: Server | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-read-'));
});
afterEach(async () => {
  await closeSocket(socket);
  socket = undefined;
  await rm(work, { recursive: true, force: true });
});

/** Both readers, so each case holds for the synchronous one too. */
const readers = [
  ['readRegularFile', readRegularFile],
  ['readRegularFileSync', async (path: string, options: typeof LIMIT) => readRegularFileSync(path, options)],
] as const;

describe.each(readers)('%s hostile-input', (_name, read) => {
  it('reads a regular file whole', async () => {
    await writeFile(join(work, 'appspec.yml'), 'version: 0.0\nos: linux\n');
    expect((await read(join(work, 'appspec.yml'), LIMIT)).toString()).toBe('version: 0.0\nos: linux\n');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = makeFifo(join(work, 'pipe'));
    await expect(read(fifo, LIMIT)).rejects.toThrow(
      `the appspec ${fifo} is a named pipe (FIFO), not a regular file`,
    );
  });

  it.each([
    ['/dev/null', 'a character device'],
    ['/dev/zero', 'a character device'],
  ])('refuses %s (%s) without reading from it', async (device, kind) => {
    const error = await read(device, LIMIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).exitCode).toBe(2);
    expect((error as Error).message).toBe(`the appspec ${device} is ${kind}, not a regular file`);
  });

  it('refuses a folder, a unix socket and a symlink to /dev/null', async () => {
    await mkdir(join(work, 'dir'));
    socket = await listenOnSocket(join(work, 'sock'));
    await symlink('/dev/null', join(work, 'null-link'));
    await expect(read(join(work, 'dir'), LIMIT)).rejects.toThrow(/is a folder, not a regular file/);
    await expect(read(join(work, 'sock'), LIMIT)).rejects.toThrow(/sock is a socket, not a regular file/);
    await expect(read(join(work, 'null-link'), LIMIT)).rejects.toThrow(
      /null-link is a character device, not a regular file/,
    );
  });

  it('refuses a 17 MiB file by its size, without reading it', async () => {
    const big = await sparseFile(join(work, 'big.yml'), 17 * MiB);
    await expect(read(big, LIMIT)).rejects.toThrow(
      `the appspec ${big} is ${17 * MiB} bytes, more than the 16 MiB limit`,
    );
  });

  it('accepts a file of exactly the limit and refuses one byte more', async () => {
    await writeFile(join(work, 'at'), 'x'.repeat(64));
    await writeFile(join(work, 'over'), 'x'.repeat(65));
    expect(await read(join(work, 'at'), { what: 'the file', maxBytes: 64 })).toHaveLength(64);
    await expect(read(join(work, 'over'), { what: 'the file', maxBytes: 64 })).rejects.toThrow(
      'is 65 bytes, more than the 64 bytes limit',
    );
  });

  it('stops at the limit when the size on record says less than there is (a /proc file reports 0)', async () => {
    // /proc/self/status is a regular file whose size is 0 and whose content is about 1 KiB: only the
    // bounded read loop, not the size check, can stop it.
    await expect(read('/proc/self/status', { what: 'the file', maxBytes: 16 })).rejects.toThrow(
      /is growing, more than the 16 bytes limit/,
    );
    expect((await read('/proc/self/status', LIMIT)).toString()).toMatch(/^Name:/);
  });

  it('says plainly when the file does not exist', async () => {
    const error = await read(join(work, 'missing.yml'), LIMIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(`the appspec ${join(work, 'missing.yml')} does not exist`);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
