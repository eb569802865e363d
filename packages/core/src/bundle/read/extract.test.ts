import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmod,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../errors/index.js';
import { createBundle } from '../write-bundle.js';
import { extractBundle } from './index.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

let work: string;
let source: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-read-extract-'));
  source = join(work, 'src');
  await mkdir(join(source, 'scripts'), { recursive: true });
  await mkdir(join(source, 'private'), { mode: 0o750 });
  await writeFile(join(source, 'appspec.yml'), 'version: 0.0\nos: linux\n');
  await writeFile(join(source, 'scripts', 'start.sh'), '#!/bin/sh\necho start\n', { mode: 0o755 });
  await writeFile(join(source, 'private', 'key'), 'secret', { mode: 0o600 });
  // Larger than a stream chunk, so content crosses several reads and inflate calls.
  await writeFile(join(source, 'big.bin'), Buffer.alloc(300_000, 'ab'));
  await symlink('scripts/start.sh', join(source, 'start'));
  await chmod(join(source, 'private'), 0o750);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('extractBundle', () => {
  for (const format of ['zip', 'tar', 'tgz'] as const) {
    it(`unpacks a ${format} bundle with contents, modes and symlinks`, async () => {
      const bundle = join(work, `bundle.${format}`);
      await createBundle(source, bundle, { format });
      const out = join(work, `out-${format}`);
      await extractBundle(bundle, out);
      expect(await readFile(join(out, 'appspec.yml'), 'utf8')).toBe('version: 0.0\nos: linux\n');
      expect((await readFile(join(out, 'big.bin'))).equals(Buffer.alloc(300_000, 'ab'))).toBe(true);
      expect((await stat(join(out, 'scripts', 'start.sh'))).mode & 0o777).toBe(0o755);
      expect((await stat(join(out, 'private', 'key'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(out, 'private'))).mode & 0o777).toBe(0o750);
      expect((await lstat(join(out, 'start'))).isSymbolicLink()).toBe(true);
      expect(await readlink(join(out, 'start'))).toBe('scripts/start.sh');
    });
  }

  it.skipIf(!hasTool('python3'))('refuses entries with .. and entries below a symlink', async () => {
    const dotdot = join(work, 'dotdot.tar');
    const through = join(work, 'through.zip');
    execFileSync('python3', [
      '-c',
      `import io, tarfile, zipfile, sys
with tarfile.open(sys.argv[1], 'w') as t:
    data = b'x'
    info = tarfile.TarInfo('../escape.txt'); info.size = len(data); t.addfile(info, io.BytesIO(data))
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    link = zipfile.ZipInfo('out'); link.create_system = 3; link.external_attr = (0o120777 << 16)
    z.writestr(link, '/tmp')
    z.writestr('out/evil.txt', 'x')`,
      dotdot,
      through,
    ]);
    await expect(extractBundle(dotdot, join(work, 'x1'))).rejects.toThrow(BundleError);
    await expect(extractBundle(through, join(work, 'x2'))).rejects.toThrow(/out\/evil.txt/);
    await expect(stat(join(work, 'escape.txt'))).rejects.toThrow();
  });

  it.skipIf(!hasTool('tar'))('recreates tar hard links and replaces a repeated name', async () => {
    const dir = join(work, 'hard');
    await mkdir(dir);
    await writeFile(join(dir, 'a'), 'shared');
    await link(join(dir, 'a'), join(dir, 'b'));
    const bundle = join(work, 'hard.tar');
    execFileSync('tar', ['-cf', bundle, '-C', dir, 'a', 'b']);
    const out = join(work, 'out-hard');
    await extractBundle(bundle, out);
    expect((await stat(join(out, 'b'))).ino).toBe((await stat(join(out, 'a'))).ino);
    await extractBundle(bundle, out);
    expect(await readFile(join(out, 'b'), 'utf8')).toBe('shared');
  });

  it('stops when the signal is aborted', async () => {
    const bundle = join(work, 'abort.tgz');
    await createBundle(source, bundle, { format: 'tgz' });
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(
      extractBundle(bundle, join(work, 'out-abort'), { signal: controller.signal }),
    ).rejects.toThrow('stop now');
  });
});
