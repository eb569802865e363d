import { execFileSync } from 'node:child_process';
import { chmod, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from '../errors/index.js';
import { DEFAULT_IGNORE_PATTERNS } from './default-ignores.js';
import { scanRevision } from './scan.js';
import { createBundle } from './write-bundle.js';

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
    expect(scan.ignored.map((i) => i.path)).toEqual([
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

describe('hostile input', () => {
  /** A checkout a careless user packages as it is: credentials at every depth beside the app. */
  const SECRETS: Record<string, string> = {
    '.git/config':
      '[remote "origin"]\n\turl = https://x-access-token:ghs_abcdefabcdefabcdefabcdef0123456789@github.com/o/r\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.hg/hgrc': '[auth]\nx.password = hunter2\n',
    '.svn/wc.db': 'x',
    '.git-credentials': 'https://u:token@github.com\n',
    '.env': 'DB_PASSWORD=hunter2\n',
    '.env.production': 'API_KEY=abc\n',
    'config/.env': 'X=1\n',
    id_rsa: '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    'id_rsa.pub': 'ssh-rsa AAAA\n',
    'keys/id_ed25519': '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    'tls/server.pem': '-----BEGIN PRIVATE KEY-----\n',
    'tls/client.p12': 'x',
    'tls/client.pfx': 'x',
    'keys/id_dsa': 'x',
    'keys/id_ecdsa.old': 'x',
    'db/.pgpass': 'h:5432:*:u:pw\n',
    '.npmrc': '//registry.npmjs.org/:_authToken=npm_abc\n',
    'web/.npmrc': '//registry.npmjs.org/:_authToken=npm_abc\n',
    '.pypirc': '[pypi]\npassword = x\n',
    '.netrc': 'machine example.com password x\n',
    '.aws/credentials': '[default]\naws_secret_access_key = x\n',
    '.docker/config.json': '{"auths":{}}',
    'build/.docker/config.json': '{"auths":{}}',
    '.codedeploy-gate/state.json': '{}',
  };
  const APP: Record<string, string> = {
    'appspec.yml': 'version: 0.0\nos: linux\n',
    'app.js': 'x',
    'environment.js': 'x',
    '.docker/Dockerfile': 'FROM x',
    'config/settings.json': '{}',
  };

  async function putAll(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) await put(path, content);
  }

  it('leaves out the default secret-safe list at any depth, naming the rule of each skipped path', async () => {
    await putAll({ ...APP, ...SECRETS });
    const scan = await scanRevision(root);
    const files = scan.entries.filter((e) => e.type === 'file').map((e) => e.path);
    expect(files).toEqual([
      '.docker/Dockerfile',
      'app.js',
      'appspec.yml',
      'config/settings.json',
      'environment.js',
    ]);
    expect(
      scan.ignored.map((i) => `${i.path}${i.directory ? '/' : ''} ${i.rule.origin} ${i.rule.pattern}`),
    ).toEqual([
      '.aws/ default .aws/',
      '.codedeploy-gate/ default .codedeploy-gate/',
      '.docker/config.json default **/.docker/config.json',
      '.env default .env',
      '.env.production default .env.*',
      '.git/ default .git/',
      '.git-credentials default .git-credentials',
      '.hg/ default .hg/',
      '.netrc default .netrc',
      '.npmrc default .npmrc',
      '.pypirc default .pypirc',
      '.svn/ default .svn/',
      'build/.docker/config.json default **/.docker/config.json',
      'config/.env default .env',
      'db/.pgpass default .pgpass',
      'id_rsa default id_rsa*',
      'id_rsa.pub default id_rsa*',
      'keys/id_dsa default id_dsa*',
      'keys/id_ecdsa.old default id_ecdsa*',
      'keys/id_ed25519 default id_ed25519*',
      'tls/client.p12 default *.p12',
      'tls/client.pfx default *.pfx',
      'tls/server.pem default *.pem',
      'web/.npmrc default .npmrc',
    ]);
    // Every documented pattern left something out of this tree.
    expect(new Set(scan.ignored.map((i) => i.rule.pattern))).toEqual(new Set(DEFAULT_IGNORE_PATTERNS));
  });

  it('brings a defaulted path back with !PATTERN in .codedeployignore, and only that path', async () => {
    await putAll({ ...APP, ...SECRETS });
    await put('.codedeployignore', '!config/.env\n!/.git/\n!*.pub\n');
    const scan = await scanRevision(root);
    const paths = scan.entries.map((e) => e.path);
    expect(paths).toContain('config/.env');
    expect(paths).toContain('.git/config');
    expect(paths).toContain('id_rsa.pub');
    expect(paths).not.toContain('.env');
    expect(paths).not.toContain('id_rsa');
    expect(scan.ignored.map((i) => i.path)).not.toContain('config/.env');
  });

  it('re-includes with an exclude negation too, and an ignore file rule is reported as such', async () => {
    await putAll({ ...APP, '.env': 'x', 'notes.txt': 'x' });
    await put('.codedeployignore', 'notes.txt\n');
    const scan = await scanRevision(root, { exclude: ['!.env'] });
    expect(scan.entries.map((e) => e.path)).toContain('.env');
    expect(scan.ignored).toEqual([
      { path: 'notes.txt', directory: false, rule: { pattern: 'notes.txt', origin: 'ignore-file' } },
    ]);
  });

  it('gives the bundle of a tree with secrets the very bytes of the same tree without them', async () => {
    const clean = join(root, 'clean');
    const dirty = join(root, 'dirty');
    for (const [path, content] of Object.entries(APP)) {
      for (const dir of [clean, dirty]) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
    }
    for (const [path, content] of Object.entries(SECRETS)) {
      await mkdir(join(dirty, path, '..'), { recursive: true });
      await writeFile(join(dirty, path), content);
    }
    // Folders that held only secrets stay, empty, as every empty folder does.
    for (const dir of ['db', 'keys', 'tls', 'web', 'build/.docker'])
      await mkdir(join(clean, dir), { recursive: true });
    const a = await createBundle(clean, join(root, 'clean.zip'), { format: 'zip' });
    const b = await createBundle(dirty, join(root, 'dirty.zip'), { format: 'zip' });
    expect(b.sha256).toBe(a.sha256);
    expect((await readFile(join(root, 'dirty.zip'))).includes('hunter2')).toBe(false);
  });

  it('names bundled files hard-linked to a name outside the tree, not links whose names are all inside', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'cdg-scan-outside-'));
    try {
      const tree = join(root, 'tree');
      await mkdir(join(tree, 'data'), { recursive: true });
      await writeFile(join(outside, 'shadow'), 'secret');
      await link(join(outside, 'shadow'), join(tree, 'data', 'copy'));
      await writeFile(join(tree, 'a'), 'x');
      await link(join(tree, 'a'), join(tree, 'b'));
      const scan = await scanRevision(tree);
      expect(scan.outsideHardLinks).toEqual(['data/copy']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses an absolute link and one that climbs out through another link, by the shared rule', async () => {
    await put('a/b/file');
    await symlink('a/b', join(root, 'up'));
    await symlink('up/../../..', join(root, 'x'));
    expect((await scanError()).message).toBe('Symlink x -> up/../../.. points outside the revision folder');
    await rm(join(root, 'x'));
    await symlink('/etc/passwd', join(root, 'start.sh'));
    expect((await scanError()).message).toContain('start.sh -> /etc/passwd is absolute');
  });
});
