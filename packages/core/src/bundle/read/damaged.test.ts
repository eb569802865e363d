import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BundleError } from '../../errors/index.js';
import { openBundle } from './index.js';

const hasTools = ['zip', 'tar'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

let work: string;
const originals = new Map<string, Buffer>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-read-damaged-'));
  const root = join(work, 'rev');
  await mkdir(join(root, 'scripts'), { recursive: true });
  await writeFile(join(root, 'appspec.yml'), 'version: 0.0\nos: linux\n');
  await writeFile(join(root, 'scripts', 'start.sh'), '#!/bin/sh\necho start\n'.repeat(20));
  if (!hasTools) return;
  for (const [name, command, args] of [
    ['b.zip', 'zip', ['-qr', join(work, 'b.zip'), '.']],
    ['b.tar', 'tar', ['-cf', join(work, 'b.tar'), '.']],
    ['b.tgz', 'tar', ['-czf', join(work, 'b.tgz'), '.']],
  ] as const) {
    execFileSync(command, [...args], { cwd: root });
    originals.set(name, await readFile(join(work, name)));
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Opens the bundle and reads every file; the only acceptable failure is a BundleError. */
async function openAndReadAll(file: string): Promise<void> {
  let reader: Awaited<ReturnType<typeof openBundle>> | undefined;
  try {
    reader = await openBundle(file);
    for (const entry of reader.entries) if (entry.type === 'file') await reader.read(entry.path);
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
  } finally {
    await reader?.close();
  }
}

describe.skipIf(!hasTools)('damaged bundles', () => {
  for (const name of ['b.zip', 'b.tar', 'b.tgz']) {
    it(`fails on a damaged ${name.slice(2)} with a BundleError only, never a raw RangeError`, async () => {
      const original = originals.get(name)!;
      const file = join(work, `damaged-${name}`);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.nat({ max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.nat({ max: original.length }),
          async (flips, cut) => {
            const bytes = Buffer.from(original);
            for (const [at, value] of flips) bytes[at] = value;
            await writeFile(file, bytes.subarray(0, Math.max(cut, 1)));
            await openAndReadAll(file);
          },
        ),
        { numRuns: 150, seed: 42 },
      );
    });
  }
});
