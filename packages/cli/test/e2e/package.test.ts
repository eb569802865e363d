import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  appendFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '@codedeploy-gate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-package-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

describe('codedeploy-gate package', () => {
  it('writes a zip whose printed sha256 matches the file, and is the same on a second run', async () => {
    const out = join(work, 'a.zip');
    const first = await runCli(['package', join(EXAMPLES, 'sample-app'), '--out', out, '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ format: 'zip', file: out, sha256: await sha256(out) });
    expect(result.ignored).toBeGreaterThan(0);

    // A copy of the tree with other mtimes must give the very same bytes.
    const copy = join(work, 'copy');
    await cp(join(EXAMPLES, 'sample-app'), copy, { recursive: true });
    await utimes(join(copy, 'appspec.yml'), new Date('2030-01-01'), new Date('2030-01-01'));
    const second = await runCli(['package', copy, '--out', join(work, 'b.zip'), '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).sha256).toBe(result.sha256);
  });

  it.skipIf(!existsSync('/usr/bin/unzip'))(
    'keeps hook scripts executable and leaves .codedeployignore matches out',
    async () => {
      const out = join(work, 'app.zip');
      const run = await runCli(['package', join(EXAMPLES, 'sample-app'), '--out', out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/sha256 {2}[0-9a-f]{64}/);
      const extracted = join(work, 'x');
      execFileSync('unzip', ['-q', out, '-d', extracted]);
      expect((await stat(join(extracted, 'scripts', 'start.sh'))).mode & 0o111).toBe(0o111);
      expect(await readdir(extracted)).not.toContain('test');
      expect(await readdir(extracted)).not.toContain('.codedeployignore');
    },
  );

  it('takes the format from --out and refuses a contradicting --format', async () => {
    const tgz = await runCli([
      'package',
      join(EXAMPLES, 'sample-app'),
      '--out',
      join(work, 'app.tgz'),
      '--json',
    ]);
    expect(tgz.code).toBe(0);
    expect(JSON.parse(tgz.stdout).format).toBe('tgz');
    const clash = await runCli([
      'package',
      join(EXAMPLES, 'sample-app'),
      '--out',
      join(work, 'app.zip'),
      '--format',
      'tar',
    ]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--format tar does not match the output name/);
  });

  it('writes no bundle for an invalid revision and exits 2 with the located problems', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await writeFile(
      join(app, 'appspec.yml'),
      'version: 0.0\nos: linux\nfiles:\n  - source: missing-dir\n    destination: /srv/x\n',
    );
    const out = join(work, 'bad.zip');
    const run = await runCli(['package', app, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/appspec\.yml:4:\d+ error files\[0\]\.source/);
    expect(run.stderr).toMatch(/is not a valid appspec/);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(work)).filter((name) => name.includes('bad'))).toEqual([]);
  });

  it('refuses a symlink that points out of the revision, leaving nothing behind', async () => {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    execFileSync('ln', ['-s', '/etc/passwd', join(app, 'app', 'passwd')]);
    const out = join(work, 'escape.zip');
    const run = await runCli(['package', app, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/app\/passwd/);
    expect(run.stderr).toMatch(/hint: /);
    expect(existsSync(out)).toBe(false);
  });

  it('validates a bundle it wrote, reading the appspec inside', async () => {
    const out = join(work, 'app.tar');
    expect((await runCli(['package', join(EXAMPLES, 'sample-app'), '--out', out])).code).toBe(0);
    const run = await runCli(['validate', out, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, source: 'bundle', platform: 'server' });
  });

  it('gives the same bytes with one compression thread, and rejects a bad --concurrency', async () => {
    const app = join(EXAMPLES, 'sample-app');
    const one = await runCli([
      'package',
      app,
      '--out',
      join(work, 'one.zip'),
      '--concurrency',
      '1',
      '--json',
    ]);
    const all = await runCli(['package', app, '--out', join(work, 'all.zip'), '--json']);
    expect(JSON.parse(one.stdout).sha256).toBe(JSON.parse(all.stdout).sha256);
    const bad = await runCli(['package', app, '--out', join(work, 'x.zip'), '--concurrency', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency must be a whole number from 1 to 64/);
  });

  it('requires --out', async () => {
    const run = await runCli(['package', join(EXAMPLES, 'sample-app')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out is required/);
  });
});

describe('hostile input: a checkout with credentials in it', () => {
  const TOKEN = 'ghp_0123456789abcdefABCDEF0123456789abcd';

  async function checkoutWithSecrets(): Promise<string> {
    const app = join(work, 'app');
    await cp(join(EXAMPLES, 'sample-app'), app, { recursive: true });
    await mkdir(join(app, '.git'));
    await writeFile(
      join(app, '.git', 'config'),
      `[remote "origin"]\n\turl = https://x-access-token:${TOKEN}@github.com/o/r.git\n`,
    );
    await writeFile(join(app, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(app, '.env'), 'DATABASE_PASSWORD=hunter2\n');
    await writeFile(join(app, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    await writeFile(join(app, 'app', '.npmrc'), `//registry.npmjs.org/:_authToken=${TOKEN}\n`);
    return app;
  }

  async function bundledPaths(file: string): Promise<string[]> {
    const bundle = await openBundle(file);
    try {
      return bundle.entries.map((e) => e.path);
    } finally {
      await bundle.close();
    }
  }

  it('bundles none of .git/, .env, id_rsa, .npmrc, says what it skipped, and !.env brings .env back', async () => {
    const app = await checkoutWithSecrets();
    const out = join(work, 'app.zip');
    const run = await runCli(['package', app, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'note: skipped 4 paths by the default secret-safe ignore list (.env, .git/, app/.npmrc, id_rsa); `!PATTERN` in .codedeployignore includes one',
    );
    const paths = await bundledPaths(out);
    expect(paths).toContain('app/server.js');
    for (const secret of ['.git', '.git/config', '.env', 'id_rsa', 'app/.npmrc'])
      expect(paths).not.toContain(secret);
    const bytes = await readFile(out);
    expect(bytes.includes(TOKEN)).toBe(false);
    expect(bytes.includes('hunter2')).toBe(false);

    await appendFile(join(app, '.codedeployignore'), '!.env\n');
    const again = await runCli(['package', app, '--out', join(work, 'with-env.zip'), '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'default-ignored', paths: ['.git', 'app/.npmrc', 'id_rsa'] }),
    ]);
    const withEnv = await bundledPaths(join(work, 'with-env.zip'));
    expect(withEnv).toContain('.env');
    expect(withEnv).not.toContain('.git/config');
  });

  it('lists the default ignore list and how to re-include in package --help', async () => {
    const help = await runCli(['package', '--help']);
    expect(help.code).toBe(0);
    for (const pattern of [
      '.git/',
      '.env.*',
      '*.pem',
      'id_rsa*',
      'id_ed25519*',
      '.npmrc',
      '.aws/',
      '.docker/config.json',
    ])
      expect(help.stdout).toContain(pattern);
    expect(help.stdout).toMatch(/"!PATTERN" line in \.codedeployignore brings one back/);
  });

  it('refuses to package an appspec hook that points at a defaulted secret, naming the rule', async () => {
    const app = await checkoutWithSecrets();
    await writeFile(join(app, 'scripts', '.env'), 'export A=1\n');
    const appspec = await readFile(join(app, 'appspec.yml'), 'utf8');
    await writeFile(
      join(app, 'appspec.yml'),
      appspec.replace('location: scripts/start.sh', 'location: scripts/.env'),
    );
    const out = join(work, 'bad.zip');
    const run = await runCli(['package', app, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /appspec\.yml:\d+:\d+ error hooks\.ApplicationStart\[0\]\.location: Hook script "scripts\/\.env" is excluded from the bundle by the default secret-safe ignore rule `\.env`/,
    );
    expect(run.stderr).toContain('Add `!scripts/.env` to .codedeployignore');
    expect(existsSync(out)).toBe(false);
  });
});
