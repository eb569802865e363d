import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSocket, identity, listenOnSocket, makeFifo, outputDevice } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError, InvalidInputError } from '../errors/index.js';
import { packageRevision } from './package-revision.js';

let work: string;
let revision: string;
let socket: Server | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-package-'));
  revision = join(work, 'app');
  await mkdir(join(revision, 'scripts'), { recursive: true });
  await writeFile(
    join(revision, 'appspec.yml'),
    'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n',
  );
  await writeFile(join(revision, 'scripts', 'start.sh'), '#!/bin/sh\n', { mode: 0o755 });
});
afterEach(async () => {
  await closeSocket(socket);
  socket = undefined;
  await rm(work, { recursive: true, force: true });
});

const listing = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

describe('packageRevision hostile-input: the bundle goes only to a regular file', () => {
  it('refuses a device, a named pipe, a socket, a folder and a link to a device, touching none', async () => {
    const device = outputDevice(work);
    const fifo = makeFifo(join(work, 'pipe.zip'));
    socket = await listenOnSocket(join(work, 'sock.zip'));
    await mkdir(join(work, 'out'));
    await symlink(device, join(work, 'link.zip'));
    const before = await listing(work);
    const cases: Array<[string, RegExp]> = [
      [device, /is a character device, not a regular file; nothing was written/],
      [fifo, /is a named pipe \(FIFO\), not a regular file/],
      [join(work, 'sock.zip'), /is a socket, not a regular file/],
      [join(work, 'out'), /is a folder, not a regular file/],
      [join(work, 'link.zip'), /link\.zip \(a link to .*\) is a character device/],
    ];
    for (const [out, message] of cases) {
      const error = await packageRevision(revision, out, { format: 'zip' }).catch((e: unknown) => e);
      expect(error, out).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
    }
    expect(identity(device).kind).toBe('character device');
    expect(identity(fifo).kind).toBe('fifo');
    expect((await lstat(join(work, 'link.zip'))).isSymbolicLink()).toBe(true);
    expect(await listing(work)).toEqual(before);
  });

  it('refuses an output inside the revision folder on the first run, writing nothing', async () => {
    const before = await listing(revision);
    const error = await packageRevision(revision, join(revision, 'bundle.zip'), { format: 'zip' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BundleError);
    expect((error as Error).message).toBe(
      `The bundle ${join(revision, 'bundle.zip')} is inside the revision folder ${revision}; nothing was written`,
    );
    expect(await listing(revision)).toEqual(before);
  });

  it('refuses an output that reaches into the revision folder through a symlink', async () => {
    await symlink(join(revision, 'scripts'), join(work, 'into-app'));
    await expect(
      packageRevision(revision, join(work, 'into-app', 'bundle.zip'), { format: 'zip' }),
    ).rejects.toThrow(/is inside the revision folder/);
  });

  it('writes an output inside the folder that the ignore rules leave out, the same on every run', async () => {
    await mkdir(join(revision, 'dist'));
    const first = await packageRevision(revision, join(revision, 'dist', 'b.zip'), {
      format: 'zip',
      exclude: ['dist/'],
    });
    const second = await packageRevision(revision, join(revision, 'dist', 'b.zip'), {
      format: 'zip',
      exclude: ['dist/'],
    });
    expect(second.bundle.sha256).toBe(first.bundle.sha256);
    expect(await readdir(join(revision, 'dist'))).toEqual(['b.zip']);
  });
});
