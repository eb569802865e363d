import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSocket, listenOnSocket, makeFifo, sparseFile } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { validatePath } from './validate-path.js';

const MiB = 1024 * 1024;

let work: string;
let socket: Server | undefined;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-validate-hostile-'));
});
afterEach(async () => {
  await closeSocket(socket);
  socket = undefined;
  await rm(work, { recursive: true, force: true });
});

async function refusal(path: string): Promise<InvalidInputError> {
  const error = await validatePath(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).exitCode).toBe(2);
  return error as InvalidInputError;
}

describe('validatePath hostile-input: a single path is read only when it is a regular file, bounded', () => {
  it('refuses a named pipe at once (it used to wait for a writer forever)', async () => {
    const fifo = makeFifo(join(work, 'appspec.yml'));
    expect((await refusal(fifo)).message).toBe(
      `the appspec ${fifo} is a named pipe (FIFO), not a regular file`,
    );
  });

  it('refuses /dev/zero and /dev/null without reading them (/dev/zero used to grow without end)', async () => {
    expect((await refusal('/dev/zero')).message).toBe(
      'the appspec /dev/zero is a character device, not a regular file',
    );
    expect((await refusal('/dev/null')).message).toBe(
      'the appspec /dev/null is a character device, not a regular file',
    );
  });

  it('refuses a unix socket and a symlink to /dev/null', async () => {
    socket = await listenOnSocket(join(work, 'sock'));
    await symlink('/dev/null', join(work, 'appspec.yaml'));
    expect((await refusal(join(work, 'sock'))).message).toMatch(/sock is a socket, not a regular file/);
    expect((await refusal(join(work, 'appspec.yaml'))).message).toMatch(
      /is a character device, not a regular file/,
    );
  });

  it('refuses a lone appspec over 16 MiB, the limit of one read from a bundle', async () => {
    const big = await sparseFile(join(work, 'appspec.yml'), 17 * MiB);
    expect((await refusal(big)).message).toBe(
      `the appspec ${big} is ${17 * MiB} bytes, more than the 16 MiB limit`,
    );
  });

  it('refuses a revision folder whose appspec.yml is over 16 MiB, or whose .codedeployignore is a pipe', async () => {
    await sparseFile(join(work, 'appspec.yml'), 17 * MiB);
    expect((await refusal(work)).message).toMatch(
      /appspec\.yml is 17825792 bytes, more than the 16 MiB limit/,
    );
    const other = join(work, 'other');
    await mkdir(other);
    await writeFile(join(other, 'appspec.yml'), 'version: 0.0\nos: linux\n');
    makeFifo(join(other, '.codedeployignore'));
    expect((await refusal(other)).message).toBe(
      `the ignore file ${join(other, '.codedeployignore')} is a named pipe (FIFO), not a regular file`,
    );
  });
});
