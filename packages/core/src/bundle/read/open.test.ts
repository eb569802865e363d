import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError, InvalidInputError } from '../../errors/index.js';
import { openBundle } from './index.js';
import { detectFormat } from './open.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-read-open-'));
  await writeFile(join(work, 'appspec.yml'), 'version: 0.0\n');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A deterministic non-archive: a linear congruential sequence of bytes. */
function noise(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('detectFormat', () => {
  it('recognizes zip, empty zip, gzip and ustar magic bytes', () => {
    expect(detectFormat(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(detectFormat(Buffer.from('PK\x05\x06rest', 'latin1'))).toBe('zip');
    expect(detectFormat(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('tgz');
    const tar = Buffer.alloc(512);
    tar.write('ustar', 257, 'latin1');
    expect(detectFormat(tar)).toBe('tar');
    expect(detectFormat(Buffer.from('PK\x07\x08', 'latin1'))).toBeUndefined();
    expect(detectFormat(Buffer.alloc(512))).toBeUndefined();
  });
});

describe('openBundle', () => {
  it.skipIf(!hasTool('zip') || !hasTool('tar'))('goes by content, not by the extension', async () => {
    execFileSync('zip', ['-q', join(work, 'really-a-zip.tgz'), 'appspec.yml'], { cwd: work });
    execFileSync('tar', ['-czf', join(work, 'really-a-tgz.zip'), 'appspec.yml'], { cwd: work });
    execFileSync('tar', ['-cf', join(work, 'really-a-tar.zip'), 'appspec.yml'], { cwd: work });
    for (const [name, format] of [
      ['really-a-zip.tgz', 'zip'],
      ['really-a-tgz.zip', 'tgz'],
      ['really-a-tar.zip', 'tar'],
    ] as const) {
      const reader = await openBundle(join(work, name));
      expect(reader.format).toBe(format);
      expect((await reader.read('appspec.yml')).toString()).toBe('version: 0.0\n');
      await reader.close();
    }
  });

  it('rejects a random file with a BundleError that names it and hints at `file`', async () => {
    const file = join(work, 'random.zip');
    await writeFile(file, noise(4096));
    const error = await openBundle(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message).toMatch(/random\.zip: not a zip, tar or tgz bundle/);
    expect((error as BundleError).hint).toContain(`\`file ${file}\``);
  });

  it('rejects random bytes behind a zip signature or inside gzip without a RangeError', async () => {
    const fakeZip = join(work, 'fake.zip');
    await writeFile(fakeZip, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(300)]));
    await expect(openBundle(fakeZip)).rejects.toBeInstanceOf(BundleError);
    const fakeTgz = join(work, 'fake.tgz');
    await writeFile(fakeTgz, gzipSync(noise(2048)));
    await expect(openBundle(fakeTgz)).rejects.toThrow(/not a tar archive/);
    const brokenGzip = join(work, 'broken.tgz');
    await writeFile(brokenGzip, Buffer.concat([Buffer.from([0x1f, 0x8b]), noise(300)]));
    await expect(openBundle(brokenGzip)).rejects.toThrow(/gzip stream is damaged/);
  });

  it('rejects an empty file, a directory and a missing file as invalid input', async () => {
    const empty = join(work, 'empty.zip');
    await writeFile(empty, '');
    await expect(openBundle(empty)).rejects.toThrow(/empty/);
    await expect(openBundle(work)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openBundle(join(work, 'missing.zip'))).rejects.toThrow(/no such file/);
  });
});
