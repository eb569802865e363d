import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from '../errors/index.js';
import { scanRevision } from './scan.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cdg-scan-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content = 'x', mode = 0o644): Promise<void> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  await chmod(file, mode);
}

async function scanError(options = {}): Promise<BundleError> {
  const error = await scanRevision(root, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BundleError);
  return error as BundleError;
}

describe('scanRevision', () => {
  it('lists files, folders (even empty ones) and modes, sorted by path bytes', async () => {
    await put('appspec.yml');
    await put('scripts/start.sh', '#!/bin/sh\n', 0o755);
    await mkdir(join(root, 'empty'));
    const scan = await scanRevision(root);
    expect(scan.entries.map((e) => [e.path, e.type, e.mode.toString(8)])).toEqual([
      ['appspec.yml', 'file', '644'],
      ['empty', 'directory', expect.any(String)],
      ['scripts', 'directory', expect.any(String)],
      ['scripts/start.sh', 'file', '755'],
    ]);
    expect(scan.totalBytes).toBe(11);
    expect(scan.entries[3]!.absolutePath).toBe(join(root, 'scripts/start.sh'));
  });

  it('applies .codedeployignore and --exclude (negation, folder patterns, globs) and leaves the ignore file out', async () => {
    await put('.codedeployignore', 'node_modules/\n*.log\n!keep.log\n');
    await put('app.js');
    await put('app.js.map');
    await put('lib/x.js.map');
    await put('debug.log');
    await put('keep.log');
    await put('node_modules/dep/index.js');
    await put('src/node_modules/dep/index.js');
    const scan = await scanRevision(root, { exclude: ['**/*.map'] });
    expect(scan.entries.map((e) => e.path)).toEqual(['app.js', 'keep.log', 'lib', 'src']);
    expect(scan.ignored).toEqual([
      'app.js.map',
      'debug.log',
      'lib/x.js.map',
      'node_modules',
      'src/node_modules',
    ]);
  });

  it('reads no ignore file with ignoreFile: false, and fails on a missing explicit one', async () => {
    await put('.codedeployignore', '*\n');
    await put('a');
    const scan = await scanRevision(root, { ignoreFile: false });
    expect(scan.entries.map((e) => e.path)).toEqual(['.codedeployignore', 'a']);
    await expect(scanRevision(root, { ignoreFile: 'nope' })).rejects.toThrow(/ignore file/);
  });

  it('keeps symlinks that stay inside the tree, as links', async () => {
    await put('releases/v2/app.js');
    await symlink('releases/v2', join(root, 'current'));
    await symlink('../releases/v2/app.js', join(root, 'releases/app.js'));
    const scan = await scanRevision(root);
    const links = scan.entries.filter((e) => e.type === 'symlink');
    expect(links.map((e) => [e.path, e.linkTarget])).toEqual([
      ['current', 'releases/v2'],
      ['releases/app.js', '../releases/v2/app.js'],
    ]);
  });

  it('refuses absolute symlinks and ones that climb out of the tree, naming link and target', async () => {
    await symlink('/etc/passwd', join(root, 'passwd'));
    let error = await scanError();
    expect(error.message).toContain('passwd -> /etc/passwd');
    expect(error.entry).toBe('passwd');
    expect(error.hint).toMatch(/copy/);
    await rm(join(root, 'passwd'));
    await mkdir(join(root, 'a'));
    await symlink('../../outside', join(root, 'a/up'));
    error = await scanError();
    expect(error.message).toContain('a/up -> ../../outside');
  });

  it('lets an excluded escaping symlink through, and refuses every link with symlinks: refuse', async () => {
    await symlink('/etc', join(root, 'etc'));
    await put('a');
    await symlink('a', join(root, 'b'));
    await expect(scanRevision(root, { exclude: ['/etc'] })).resolves.toBeDefined();
    const error = await scanError({ exclude: ['/etc'], symlinks: 'refuse' });
    expect(error.entry).toBe('b');
  });

  it('refuses names with backslashes and names that are not UTF-8', async () => {
    await put('a\\b');
    expect((await scanError()).entry).toBe('a\\b');
    await rm(join(root, 'a\\b'));
    await writeFile(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe])]), 'x');
    expect((await scanError()).message).toMatch(/not valid UTF-8/);
    await expect(scanRevision(root, { exclude: ['bad-*'] })).resolves.toBeDefined();
  });

  it('refuses a fifo', async () => {
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const error = await scanError();
    expect(error.message).toMatch(/fifo/);
    expect(error.entry).toBe('pipe');
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable folder clearly', async () => {
    await put('locked/a');
    await chmod(join(root, 'locked'), 0);
    try {
      expect((await scanError()).message).toMatch(/permission denied/);
    } finally {
      await chmod(join(root, 'locked'), 0o755);
    }
  });

  it('rejects a path that is not a folder', async () => {
    await put('file');
    await expect(scanRevision(join(root, 'file'))).rejects.toThrow(/not a folder/);
  });
});
