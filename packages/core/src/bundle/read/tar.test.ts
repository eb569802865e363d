import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../errors/index.js';
import { type BundleReader, bundleRoot, openBundle } from './index.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasTar = hasTool('tar');
const hasPython = hasTool('python3');

const LONG_DIR = `src/${'very-long-directory-name-'.repeat(5)}`;
const LONG_FILE = `${LONG_DIR}/${'a-file-name-that-is-long-'.repeat(5)}.js`;

let work: string;
let root: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-read-tar-'));
  root = join(work, 'rev');
  await mkdir(join(root, 'scripts'), { recursive: true });
  await mkdir(join(root, LONG_DIR), { recursive: true });
  await writeFile(join(root, 'appspec.yml'), 'version: 0.0\nos: linux\n');
  await writeFile(join(root, 'scripts', 'start.sh'), '#!/bin/sh\necho start\n');
  await chmod(join(root, 'scripts', 'start.sh'), 0o750);
  await writeFile(join(root, LONG_FILE), 'module.exports = 42;\n');
  await symlink(`../${LONG_FILE}`, join(root, 'scripts', 'long-link'));
  await link(join(root, 'scripts', 'start.sh'), join(root, 'scripts', 'start-again.sh'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function withBundle<T>(file: string, use: (reader: BundleReader) => Promise<T>): Promise<T> {
  const reader = await openBundle(file);
  try {
    return await use(reader);
  } finally {
    await reader.close();
  }
}

describe.skipIf(!hasTar)('tar and tgz bundles made by GNU tar', () => {
  for (const [label, args, format] of [
    ['tar, GNU format (long names as L/K records)', ['--format=gnu', '-cf'], 'tar'],
    ['tar, POSIX format (long names as PAX records)', ['--format=posix', '-cf'], 'tar'],
    ['tgz', ['-czf'], 'tgz'],
  ] as const) {
    it(`lists and reads a ${label}`, async () => {
      const bundle = join(work, `rev-${label.replace(/\W+/g, '-')}.${format}`);
      execFileSync('tar', [...args, bundle, '-C', root, '.']);
      await withBundle(bundle, async (reader) => {
        expect(reader.format).toBe(format);
        const byPath = new Map(reader.entries.map((entry) => [entry.path, entry]));
        expect(byPath.has('')).toBe(false);
        expect(byPath.get('appspec.yml')).toMatchObject({ type: 'file', mode: 0o644, size: 23 });
        expect(byPath.get('scripts')).toMatchObject({ type: 'directory', mode: 0o755 });
        expect(byPath.get('scripts/start.sh')).toMatchObject({ type: 'file', mode: 0o750 });
        expect(byPath.get(LONG_FILE)).toMatchObject({ type: 'file', size: 21 });
        expect(byPath.get('scripts/long-link')).toMatchObject({
          type: 'symlink',
          linkTarget: `../${LONG_FILE}`,
        });
        expect(reader.unsafeEntries).toEqual([]);
        expect((await reader.read('appspec.yml')).toString()).toBe('version: 0.0\nos: linux\n');
        expect((await reader.read(LONG_FILE)).toString()).toBe('module.exports = 42;\n');
      });
    });
  }

  it('lists a hard link as a file with linkTarget and reads the content it shares', async () => {
    const bundle = join(work, 'links.tar');
    execFileSync('tar', ['-cf', bundle, '-C', root, 'scripts/start.sh', 'scripts/start-again.sh']);
    await withBundle(bundle, async (reader) => {
      expect(reader.entries[1]).toEqual({
        path: 'scripts/start-again.sh',
        type: 'file',
        mode: 0o750,
        size: 0,
        linkTarget: 'scripts/start.sh',
      });
      expect((await reader.read('scripts/start-again.sh')).toString()).toBe('#!/bin/sh\necho start\n');
    });
  });

  it('refuses to read directories and symlinks', async () => {
    const bundle = join(work, 'refuse.tar');
    execFileSync('tar', ['-cf', bundle, '-C', root, '.']);
    await withBundle(bundle, async (reader) => {
      await expect(reader.read('scripts')).rejects.toThrow(/is a directory/);
      await expect(reader.read('scripts/long-link')).rejects.toThrow(/is a symlink/);
      await expect(reader.read('nope.sh')).rejects.toThrow(/no such entry/);
    });
  });

  for (const [label, args, ext] of [
    ['tar', ['-cf'], 'tar'],
    ['tgz', ['-czf'], 'tgz'],
  ] as const) {
    it(`reports a truncated ${label} as a BundleError naming the file`, async () => {
      const bundle = join(work, `whole.${ext}`);
      await writeFile(join(work, 'payload.bin'), Buffer.alloc(64 * 1024, 'x'));
      execFileSync('tar', [...args, bundle, '-C', work, 'payload.bin']);
      const bytes = await readFile(bundle);
      const truncated = join(work, `truncated.${ext}`);
      await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const error = await openBundle(truncated).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BundleError);
      expect((error as BundleError).message).toContain(truncated);
      expect((error as BundleError).message).toMatch(/truncated|damaged/);
    });
  }
});

describe.skipIf(!hasTool('git'))('tarballs made by git archive, as GitHub serves them', () => {
  it('skips the pax global header and finds the top-level folder the agent strips', async () => {
    const repo = join(work, 'repo');
    await mkdir(join(repo, 'scripts'), { recursive: true });
    await writeFile(join(repo, 'appspec.yml'), 'version: 0.0\n');
    await writeFile(join(repo, 'scripts', 'start.sh'), '#!/bin/sh\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], {
        cwd: repo,
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'revision');
    const bundle = join(work, 'github.tgz');
    git('archive', '--format=tar.gz', '--prefix=acme-app-1a2b3c4/', '-o', bundle, 'HEAD');
    await withBundle(bundle, async (reader) => {
      expect(reader.format).toBe('tgz');
      expect(reader.entries.map((entry) => entry.path)).toEqual([
        'acme-app-1a2b3c4',
        'acme-app-1a2b3c4/appspec.yml',
        'acme-app-1a2b3c4/scripts',
        'acme-app-1a2b3c4/scripts/start.sh',
      ]);
      const root = bundleRoot(reader.entries);
      expect(root).toBe('acme-app-1a2b3c4');
      expect((await reader.read(`${root}/appspec.yml`)).toString()).toBe('version: 0.0\n');
    });
  });
});

describe.skipIf(!hasPython)('tar bundles made by Python tarfile', () => {
  it("lists '../evil', absolute names, device entries and writes through a symlink as unsafe", async () => {
    execFileSync(
      'python3',
      [
        '-c',
        `import io, tarfile
def add(tf, name, data=b'', **kw):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for k, v in kw.items(): setattr(info, k, v)
    tf.addfile(info, io.BytesIO(data))
with tarfile.open('evil.tar', 'w', format=tarfile.PAX_FORMAT) as tf:
    add(tf, 'appspec.yml', b'version: 0.0\\n')
    add(tf, '../evil', b'x')
    add(tf, '/etc/cron.d/evil', b'x')
    add(tf, 'fifo', type=tarfile.FIFOTYPE)
    add(tf, 'etc', type=tarfile.SYMTYPE, linkname='/etc')
    add(tf, 'etc/cron.d/evil', b'x')
    add(tf, 'shadow', type=tarfile.LNKTYPE, linkname='../../etc/shadow')`,
      ],
      { cwd: work },
    );
    await withBundle(join(work, 'evil.tar'), async (reader) => {
      expect(reader.unsafeEntries).toEqual([
        '../evil',
        '/etc/cron.d/evil',
        'fifo',
        'etc/cron.d/evil',
        'shadow',
      ]);
      expect(reader.entries.map((entry) => entry.path)).not.toContain('fifo');
      expect((await reader.read('appspec.yml')).toString()).toBe('version: 0.0\n');
    });
  });

  it('refuses to read an entry larger than 16 MiB', async () => {
    execFileSync(
      'python3',
      [
        '-c',
        `import io, tarfile
with tarfile.open('large.tgz', 'w:gz') as tf:
    info = tarfile.TarInfo('big.bin'); info.size = 17 * 1024 * 1024
    tf.addfile(info, io.BytesIO(b'\\0' * info.size))`,
      ],
      { cwd: work },
    );
    await withBundle(join(work, 'large.tgz'), async (reader) => {
      expect(reader.entries).toEqual([
        { path: 'big.bin', type: 'file', mode: 0o644, size: 17 * 1024 * 1024 },
      ]);
      await expect(reader.read('big.bin')).rejects.toThrow(/more than the 16777216 bytes/);
    });
  });
});
