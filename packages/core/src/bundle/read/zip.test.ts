import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../errors/index.js';
import { bundleRoot, openBundle } from './index.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasZip = hasTool('zip');
const hasPython = hasTool('python3');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-read-zip-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A small revision: appspec, an executable hook script, a symlink and a nested directory. */
async function makeRevision(root: string): Promise<void> {
  await mkdir(join(root, 'scripts'), { recursive: true });
  await mkdir(join(root, 'src', 'lib'), { recursive: true });
  await writeFile(join(root, 'appspec.yml'), 'version: 0.0\nos: linux\n');
  await writeFile(join(root, 'scripts', 'start.sh'), '#!/bin/sh\necho start\n');
  await chmod(join(root, 'scripts', 'start.sh'), 0o755);
  await writeFile(join(root, 'src', 'lib', 'index.js'), 'export const x = 1;\n'.repeat(500));
  await symlink('start.sh', join(root, 'scripts', 'current'));
}

function python(script: string, cwd: string): void {
  execFileSync('python3', ['-c', script], { cwd, stdio: 'pipe' });
}

describe.skipIf(!hasZip)('zip bundles made by Info-ZIP zip', () => {
  let bundle: string;

  beforeAll(async () => {
    const root = join(work, 'rev');
    await makeRevision(root);
    bundle = join(work, 'rev.zip');
    execFileSync('zip', ['-qry', bundle, '.'], { cwd: root });
  });

  it('lists files, directories and symlinks with their Unix modes', async () => {
    const reader = await openBundle(bundle);
    try {
      expect(reader.format).toBe('zip');
      const byPath = new Map(reader.entries.map((entry) => [entry.path, entry]));
      expect(byPath.get('appspec.yml')).toMatchObject({ type: 'file', mode: 0o644, size: 23 });
      expect(byPath.get('scripts/start.sh')).toMatchObject({ type: 'file', mode: 0o755 });
      expect(byPath.get('scripts')).toMatchObject({ type: 'directory', size: 0 });
      expect(byPath.get('src/lib')).toMatchObject({ type: 'directory' });
      expect(byPath.get('scripts/current')).toMatchObject({ type: 'symlink', linkTarget: 'start.sh' });
      expect(reader.entries.every((entry) => !entry.path.endsWith('/') && !entry.path.startsWith('./'))).toBe(
        true,
      );
      expect(reader.unsafeEntries).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('reads deflated and stored entries back byte for byte', async () => {
    const reader = await openBundle(bundle);
    try {
      expect((await reader.read('appspec.yml')).toString()).toBe('version: 0.0\nos: linux\n');
      expect(await reader.read('./src/lib/index.js')).toEqual(
        await readFile(join(work, 'rev/src/lib/index.js')),
      );
    } finally {
      await reader.close();
    }
    const stored = join(work, 'stored.zip');
    execFileSync('zip', ['-qr0', stored, 'appspec.yml'], { cwd: join(work, 'rev') });
    const storedReader = await openBundle(stored);
    expect((await storedReader.read('appspec.yml')).toString()).toBe('version: 0.0\nos: linux\n');
    await storedReader.close();
  });

  it('finds the top-level folder the agent strips when the zip wraps the revision in one', async () => {
    const wrapped = join(work, 'wrapped.zip');
    execFileSync('zip', ['-qry', wrapped, 'rev'], { cwd: work });
    const reader = await openBundle(wrapped);
    try {
      const root = bundleRoot(reader.entries);
      expect(root).toBe('rev');
      expect((await reader.read(`${root}/appspec.yml`)).toString()).toContain('version: 0.0');
    } finally {
      await reader.close();
    }
  });

  it('refuses to read directories, symlinks and missing entries with a BundleError', async () => {
    const reader = await openBundle(bundle);
    try {
      await expect(reader.read('scripts')).rejects.toThrow(/is a directory/);
      await expect(reader.read('scripts/current')).rejects.toThrow(/symlink to start\.sh/);
      await expect(reader.read('scripts/stop.sh')).rejects.toBeInstanceOf(BundleError);
    } finally {
      await reader.close();
    }
  });

  it('detects a corrupted entry through its CRC', async () => {
    const stored = join(work, 'crc.zip');
    execFileSync('zip', ['-qr0', stored, 'appspec.yml'], { cwd: join(work, 'rev') });
    const bytes = await readFile(stored);
    const at = bytes.indexOf('version: 0.0');
    bytes[at] = 'V'.charCodeAt(0);
    await writeFile(stored, bytes);
    const reader = await openBundle(stored);
    await expect(reader.read('appspec.yml')).rejects.toThrow(/CRC/);
    await reader.close();
  });

  it('reports a truncated zip as a BundleError naming the file, with a hint', async () => {
    const bytes = await readFile(bundle);
    const truncated = join(work, 'truncated.zip');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await openBundle(truncated).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message).toContain(truncated);
    expect((error as BundleError).message).toMatch(/truncated/);
    expect((error as BundleError).hint).toMatch(/`file /);
    expect((error as BundleError).exitCode).toBe(2);
  });
});

describe.skipIf(!hasPython)('zip bundles made by Python zipfile', () => {
  it('lists more than 65,535 entries through the zip64 end of central directory', async () => {
    const bundle = join(work, 'many.zip');
    python(
      `import zipfile
with zipfile.ZipFile('many.zip', 'w', allowZip64=True) as zf:
    for i in range(70000): zf.writestr('node_modules/f%05d.js' % i, b'')
    zf.writestr('appspec.yml', b'version: 0.0\\n')`,
      work,
    );
    const bytes = await readFile(bundle);
    expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(0xffff);
    const reader = await openBundle(bundle);
    try {
      expect(reader.entries).toHaveLength(70_001);
      expect(reader.entries[69_999]?.path).toBe('node_modules/f69999.js');
      expect((await reader.read('appspec.yml')).toString()).toBe('version: 0.0\n');
    } finally {
      await reader.close();
    }
  });

  it("lists '../evil', absolute and backslash names as unsafe", async () => {
    python(
      `import zipfile
with zipfile.ZipFile('evil.zip', 'w') as zf:
    zf.writestr('appspec.yml', b'version: 0.0\\n')
    zf.writestr('../evil', b'x')
    zf.writestr('/etc/cron.d/evil', b'x')
    zf.writestr('scripts\\\\start.bat', b'x')`,
      work,
    );
    const reader = await openBundle(join(work, 'evil.zip'));
    expect(reader.unsafeEntries).toEqual(['../evil', '/etc/cron.d/evil', 'scripts\\start.bat']);
    await reader.close();
  });

  it('refuses to read an entry larger than 16 MiB', async () => {
    python(
      `import zipfile
with zipfile.ZipFile('large.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('big.bin', b'\\0' * (17 * 1024 * 1024))`,
      work,
    );
    const reader = await openBundle(join(work, 'large.zip'));
    expect(reader.entries[0]).toMatchObject({ path: 'big.bin', size: 17 * 1024 * 1024, mode: 0o600 });
    await expect(reader.read('big.bin')).rejects.toThrow(/more than the 16777216 bytes/);
    await reader.close();
  });
});

/**
 * One stored entry whose central header saturates size, compressed size and offset, with the real
 * values in a zip64 extra field, followed by a zip64 end record and locator: what a zip over 4 GiB
 * looks like, in a few hundred bytes.
 */
function handMadeZip64(name: string, content: Buffer): Buffer {
  const nameBytes = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const extra = Buffer.alloc(4 + 24);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(content.length), 4);
  extra.writeBigUInt64LE(BigInt(content.length), 12);
  extra.writeBigUInt64LE(0n, 20);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(extra.length, 30);
  central.writeUInt32LE(((0o100755 << 16) >>> 0) as number, 38);
  central.writeUInt32LE(0xffffffff, 42);
  const body = Buffer.concat([local, nameBytes, content]);
  const directory = Buffer.concat([central, nameBytes, extra]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeBigUInt64LE(1n, 24);
  record.writeBigUInt64LE(1n, 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(body.length), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(body.length + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([body, directory, record, locator, end]);
}

describe('zip64 fields', () => {
  it('takes sizes and the local header offset from the zip64 extra field', async () => {
    const file = join(work, 'zip64-extra.zip');
    await writeFile(file, handMadeZip64('scripts/start.sh', Buffer.from('#!/bin/sh\n')));
    const reader = await openBundle(file);
    expect(reader.entries).toEqual([{ path: 'scripts/start.sh', type: 'file', mode: 0o755, size: 10 }]);
    expect((await reader.read('scripts/start.sh')).toString()).toBe('#!/bin/sh\n');
    await reader.close();
  });
});
