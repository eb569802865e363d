import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { closeSocket, identity, listenOnSocket, makeFifo, outputDevice } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { checkOutputPath, checkReplaceable, writeOutputFile } from './output-path.js';

let work: string;
let socket: Server | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-output-'));
});
afterEach(async () => {
  await closeSocket(socket);
  socket = undefined;
  await rm(work, { recursive: true, force: true });
});

const REPORT = { what: '--report-json', createFolders: true };

/** Names in DIR that are not NAMES: what a refused write must not leave behind (temporary files). */
async function leftBeside(dir: string, names: string[]): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !names.includes(name));
}

describe('writeOutputFile hostile-input', () => {
  it('refuses a character device with exit 2 and leaves it a device, with no temporary file beside it', async () => {
    const device = outputDevice(work);
    const before = identity(device);
    const error = await writeOutputFile(device, '{}', REPORT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      `--report-json ${device} is a character device, not a regular file; nothing was written`,
    );
    expect(identity(device)).toEqual(before);
    expect(before.kind).toBe('character device');
    // No temporary file was made beside it (`.null-device.PID-RANDOM.tmp`).
    expect((await readdir(dirname(device))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a named pipe and a unix socket, leaving each as it was', async () => {
    const fifo = makeFifo(join(work, 'pipe'));
    socket = await listenOnSocket(join(work, 'sock'));
    await expect(writeOutputFile(fifo, '{}', REPORT)).rejects.toThrow(
      `--report-json ${fifo} is a named pipe (FIFO), not a regular file`,
    );
    await expect(writeOutputFile(join(work, 'sock'), '{}', REPORT)).rejects.toThrow(
      /sock is a socket, not a regular file/,
    );
    expect(identity(fifo).kind).toBe('fifo');
    expect(identity(join(work, 'sock')).kind).toBe('socket');
    expect(await leftBeside(work, ['pipe', 'sock'])).toEqual([]);
  });

  it('refuses a folder, naming the file to give instead', async () => {
    await mkdir(join(work, 'reports'));
    const error = (await checkOutputPath(join(work, 'reports'), REPORT).catch(
      (e: unknown) => e,
    )) as InvalidInputError;
    expect(error.message).toBe(
      `--report-json ${join(work, 'reports')} is a folder, not a regular file; nothing was written`,
    );
    expect(error.hint).toContain(join(work, 'reports', 'NAME'));
    expect(await readdir(join(work, 'reports'))).toEqual([]);
  });

  it('follows a symlink: to a device it is refused and both stay; to a regular file that file is replaced and the link kept', async () => {
    const device = outputDevice(work);
    await symlink(device, join(work, 'to-device.json'));
    await expect(writeOutputFile(join(work, 'to-device.json'), '{}', REPORT)).rejects.toThrow(
      `--report-json ${join(work, 'to-device.json')} (a link to ${device}) is a character device, not a regular file`,
    );
    expect((await lstat(join(work, 'to-device.json'))).isSymbolicLink()).toBe(true);
    expect(identity(device).kind).toBe('character device');

    await mkdir(join(work, 'real'));
    await writeFile(join(work, 'real', 'report.json'), 'old');
    await symlink('real/report.json', join(work, 'link.json'));
    const written = await writeOutputFile(join(work, 'link.json'), 'new', REPORT);
    expect(written).toBe(join(work, 'real', 'report.json'));
    expect(await readFile(join(work, 'real', 'report.json'), 'utf8')).toBe('new');
    expect(await readlink(join(work, 'link.json'))).toBe('real/report.json');
    expect(await readdir(join(work, 'real'))).toEqual(['report.json']);
  });

  it('writes the target of a dangling symlink, and refuses a link loop', async () => {
    await symlink('made.json', join(work, 'dangling.json'));
    await writeOutputFile(join(work, 'dangling.json'), 'x', REPORT);
    expect(await readFile(join(work, 'made.json'), 'utf8')).toBe('x');
    await symlink('loop-b', join(work, 'loop-a'));
    await symlink('loop-a', join(work, 'loop-b'));
    await expect(checkOutputPath(join(work, 'loop-a'), REPORT)).rejects.toThrow(/symbolic link that loops/);
  });

  it('creates missing folders only when asked, and refuses a path through a file', async () => {
    await writeFile(join(work, 'file'), '');
    await expect(checkOutputPath(join(work, 'new', 'b.zip'), { what: 'the bundle' })).rejects.toThrow(
      `the bundle ${join(work, 'new', 'b.zip')} cannot be written: the folder ${join(work, 'new')} does not exist`,
    );
    await writeOutputFile(join(work, 'new', 'deeper', 'r.json'), '{}', REPORT);
    expect(await readFile(join(work, 'new', 'deeper', 'r.json'), 'utf8')).toBe('{}');
    await expect(checkOutputPath(join(work, 'file', 'r.json'), REPORT)).rejects.toThrow(
      `cannot be written: ${join(work, 'file')} is a regular file, not a folder`,
    );
  });

  it('replaces a regular file whole and leaves no temporary file', async () => {
    await writeFile(join(work, 'r.json'), 'old');
    expect(await checkOutputPath(join(work, 'r.json'), REPORT)).toEqual({
      path: join(work, 'r.json'),
      exists: true,
    });
    await writeOutputFile(join(work, 'r.json'), 'new', REPORT);
    expect(await readFile(join(work, 'r.json'), 'utf8')).toBe('new');
    expect(await readdir(work)).toEqual(['r.json']);
  });

  it('will not rename over something that became a pipe after the check', async () => {
    const fifo = makeFifo(join(work, 'late'));
    await expect(checkReplaceable(fifo, 'the bundle')).rejects.toThrow(
      `the bundle ${fifo} became a named pipe (FIFO) while it was being written; it was left as it is`,
    );
  });
});
