import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BundleFormat, createBundle, type RevisionEntry, writeBundle } from '../bundle/index.js';
import { BundleError, InvalidInputError } from '../errors/index.js';
import { packageRevision } from '../packaging/index.js';
import { RevisionInvalidError } from './revision-invalid-error.js';
import { validatePath } from './validate-path.js';

const SERVER_APPSPEC = `version: 0.0
os: linux
files:
  - source: app
    destination: /srv/app
hooks:
  ApplicationStart:
    - location: scripts/start.sh
`;

const has = (tool: string) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_ZIP = existsSync('/usr/bin/zip') || has('zip');
const HAS_PYTHON = has('python3');

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'validate-path-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function revision(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return dir;
}

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('validatePath on a folder', () => {
  it('accepts a complete revision', async () => {
    const dir = await revision(work, {
      'appspec.yml': SERVER_APPSPEC,
      'app/index.js': '',
      'scripts/start.sh': '',
    });
    const result = await validatePath(dir);
    expect(result).toMatchObject({ valid: true, source: 'directory', platform: 'server', problems: [] });
  });

  it('checks sources and scripts against what will be bundled, after .codedeployignore', async () => {
    const dir = await revision(work, {
      'appspec.yml': SERVER_APPSPEC,
      'app/index.js': '',
      'scripts/start.sh': '',
      '.codedeployignore': 'scripts/\n',
    });
    const result = await validatePath(dir);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'hook-script-excluded',
        line: 8,
        path: 'hooks.ApplicationStart[0].location',
        message:
          'Hook script "scripts/start.sh" is excluded from the bundle by the .codedeployignore rule `scripts/` (on its folder scripts/).',
      }),
    ]);
  });

  it('rejects an appspec.json that the agent would never read on EC2/on-premises', async () => {
    const dir = await revision(work, { 'appspec.json': '{"version": 0.0, "os": "linux"}' });
    const result = await validatePath(dir);
    expect(result.valid).toBe(false);
    expect(codes(result.problems)).toEqual(['appspec-json-not-read-by-agent']);
  });

  it('refuses a folder with two appspecs, or none', async () => {
    await revision(work, { 'appspec.yml': SERVER_APPSPEC, 'appspec.yaml': SERVER_APPSPEC });
    await expect(validatePath(work)).rejects.toThrow(/more than one appspec: appspec.yml, appspec.yaml/);
    const empty = join(work, 'empty');
    await mkdir(empty);
    await expect(validatePath(empty)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('validatePath on a bundle', () => {
  it('reads the appspec inside a bundle we wrote and checks its files', async () => {
    const dir = await revision(join(work, 'src'), {
      'appspec.yml': SERVER_APPSPEC,
      'app/index.js': '',
      'scripts/start.sh': '',
    });
    for (const format of ['zip', 'tar', 'tgz'] as const) {
      const out = join(work, `r.${format}`);
      await createBundle(dir, out, { format });
      const result = await validatePath(out);
      expect(result).toMatchObject({ valid: true, source: 'bundle', file: `r.${format}:appspec.yml` });
    }
  });

  it.skipIf(!HAS_ZIP)('strips a single top-level folder holding the appspec, as the agent does', async () => {
    await revision(join(work, 'release-1.2'), { 'appspec.yml': SERVER_APPSPEC, 'app/index.js': '' });
    execFileSync('zip', ['-qr', join(work, 'wrapped.zip'), 'release-1.2'], { cwd: work });
    const result = await validatePath(join(work, 'wrapped.zip'));
    expect(result.file).toBe('wrapped.zip:release-1.2/appspec.yml');
    // app/ is found under the stripped folder; the script is genuinely missing.
    expect(codes(result.problems)).toEqual(['hook-script-missing']);
  });

  it.skipIf(!HAS_PYTHON)('reports entries that would escape the deployment folder', async () => {
    const out = join(work, 'evil.zip');
    execFileSync('python3', [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nz.writestr("appspec.yml", "version: 0.0\\nos: linux\\n")\nz.writestr("../evil.sh", "#!/bin/sh\\n")\nz.close()',
      out,
    ]);
    const result = await validatePath(out);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'bundle-unsafe-entry', path: '../evil.sh' }),
    ]);
  });
});

describe('validatePath on a lone file', () => {
  it('reads any file name as YAML or JSON and detects the platform', async () => {
    const file = join(work, 'task.spec');
    await writeFile(
      file,
      JSON.stringify({
        version: 0.0,
        Resources: [
          {
            fn: {
              Type: 'AWS::Lambda::Function',
              Properties: { Name: 'f', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' },
            },
          },
        ],
      }),
    );
    expect(await validatePath(file)).toMatchObject({ valid: true, platform: 'lambda', source: 'file' });
  });

  it('says clearly when the path does not exist', async () => {
    await expect(validatePath(join(work, 'missing'))).rejects.toThrow(
      /cannot read .*missing: no such file or directory/,
    );
  });
});

describe('packageRevision', () => {
  it('writes no bundle when the revision is invalid', async () => {
    const dir = await revision(join(work, 'src'), { 'appspec.yml': SERVER_APPSPEC, 'app/index.js': '' });
    const out = join(work, 'out', 'bundle.zip');
    await mkdir(join(work, 'out'));
    const error = await packageRevision(dir, out, { format: 'zip' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevisionInvalidError);
    expect(codes((error as RevisionInvalidError).validation.problems)).toEqual(['hook-script-missing']);
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });
});

/** One entry of a hand-made bundle: a file with content, a folder, or a symlink with any target. */
type Member = { path: string } & ({ content: string } | { directory: true } | { linkTarget: string });

/**
 * Writes MEMBERS, in this order and unchecked, with the project's own bundle writer: the scan that
 * would refuse escaping links or repeated names is skipped, as a hostile bundle's author would.
 */
async function handMadeBundle(name: string, format: BundleFormat, members: Member[]): Promise<string> {
  const store = await mkdtemp(join(work, 'members-'));
  const entries: RevisionEntry[] = [];
  for (const [index, member] of members.entries()) {
    const absolutePath = join(store, String(index));
    if ('content' in member) {
      await writeFile(absolutePath, member.content);
      const size = Buffer.byteLength(member.content);
      entries.push({ path: member.path, type: 'file', mode: 0o755, size, absolutePath });
    } else if ('directory' in member) {
      entries.push({ path: member.path, type: 'directory', mode: 0o755, size: 0, absolutePath });
    } else {
      const { linkTarget } = member;
      entries.push({ path: member.path, type: 'symlink', mode: 0o777, size: 0, linkTarget, absolutePath });
    }
  }
  const out = join(work, `${name}.${format}`);
  const totalBytes = entries.reduce((sum, e) => sum + e.size, 0);
  await writeBundle({ root: store, entries, ignored: [], outsideHardLinks: [], totalBytes }, out, { format });
  return out;
}

const LINKED_APPSPEC = `version: 0.0
os: linux
files:
  - source: app/conf
    destination: /srv/app
hooks:
  ApplicationStart:
    - location: scripts/start.sh
`;

describe('hostile input', () => {
  describe('secrets left out by default', () => {
    it('names the default rule and the !PATTERN that brings back a hook script it excludes', async () => {
      const appspec = 'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: scripts/.env\n';
      const dir = await revision(work, { 'appspec.yml': appspec, 'scripts/.env': 'set -a\n' });
      const result = await validatePath(dir);
      expect(result.valid).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: 'hook-script-excluded',
          line: 5,
          path: 'hooks.AfterInstall[0].location',
          message:
            'Hook script "scripts/.env" is excluded from the bundle by the default secret-safe ignore rule `.env`.',
          hint: expect.stringContaining('Add `!scripts/.env` to .codedeployignore to include it'),
        }),
      ]);
      await writeFile(join(dir, '.codedeployignore'), '!scripts/.env\n');
      expect(await validatePath(dir)).toMatchObject({ valid: true, problems: [] });
    });

    it('reports a files source inside a defaulted folder with the folder to re-include', async () => {
      const appspec =
        'version: 0.0\nos: linux\nfiles:\n  - source: home/.aws/config\n    destination: /root/.aws\n  - source: app\n    destination: /srv/app\n';
      const dir = await revision(work, {
        'appspec.yml': appspec,
        'home/.aws/config': '[default]\n',
        'app/a': '',
      });
      const [problem, ...rest] = (await validatePath(dir)).problems;
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({
        code: 'files-source-excluded',
        line: 4,
        path: 'files[0].source',
        message:
          'source "home/.aws/config" is excluded from the bundle by the default secret-safe ignore rule `.aws/` (on its folder home/.aws/).',
      });
      expect(problem?.hint).toContain('`!home/.aws/`');
    });

    it('names an exclude pattern as such', async () => {
      const dir = await revision(work, {
        'appspec.yml': SERVER_APPSPEC,
        'app/index.js': '',
        'scripts/start.sh': '',
      });
      const [problem] = (await validatePath(dir, { exclude: ['*.sh'] })).problems;
      expect(problem).toMatchObject({
        code: 'hook-script-excluded',
        message: 'Hook script "scripts/start.sh" is excluded from the bundle by the exclude pattern `*.sh`.',
      });
    });
  });

  describe('symlinks leading out of the bundle', () => {
    it('refuses a folder whose hook script links to /etc/passwd, as package does', async () => {
      const dir = await revision(join(work, 'src'), { 'appspec.yml': LINKED_APPSPEC, 'app/conf/a': '' });
      await mkdir(join(dir, 'scripts'));
      await symlink('/etc/passwd', join(dir, 'scripts/start.sh'));
      await expect(validatePath(dir)).rejects.toThrow(/scripts\/start.sh -> \/etc\/passwd is absolute/);
      const refused = await packageRevision(dir, join(work, 'out.zip'), { format: 'zip' }).catch((e) => e);
      expect(refused).toBeInstanceOf(BundleError);
    });

    it.each(['zip', 'tar', 'tgz'] as const)(
      'reports every escaping link of a %s, absolute or climbing, as an error',
      async (format) => {
        const bundle = await handMadeBundle('links', format, [
          { path: 'appspec.yml', content: LINKED_APPSPEC },
          { path: 'app', directory: true },
          { path: 'app/conf', linkTarget: '../../../../etc/passwd' },
          { path: 'scripts', directory: true },
          { path: 'scripts/start.sh', linkTarget: '/etc/passwd' },
          { path: 'scripts/ok', linkTarget: '../app' },
          // Out through the link above: only following links as the instance would shows it.
          { path: 'scripts/via.sh', linkTarget: '../app/conf' },
        ]);
        const result = await validatePath(bundle);
        expect(result.valid).toBe(false);
        expect(result.problems.map((p) => [p.code, p.path])).toEqual([
          ['bundle-symlink-outside', 'app/conf'],
          ['bundle-symlink-outside', 'scripts/start.sh'],
          ['bundle-symlink-outside', 'scripts/via.sh'],
        ]);
        expect(result.problems[1]?.message).toContain('scripts/start.sh -> /etc/passwd (absolute)');
      },
    );

    it('judges links against the folder the agent strips, not the archive root', async () => {
      const bundle = await handMadeBundle('wrapped', 'zip', [
        { path: 'release/appspec.yml', content: SERVER_APPSPEC },
        { path: 'release/app/index.js', content: '' },
        // Inside the archive (it names release/x), but above the deployment root once release/ is it.
        { path: 'release/scripts/start.sh', linkTarget: '../../release/x' },
        { path: 'release/x', content: '' },
      ]);
      const result = await validatePath(bundle);
      expect(result.problems.map((p) => [p.code, p.path])).toEqual([
        ['bundle-symlink-outside', 'scripts/start.sh'],
      ]);
    });
  });

  describe('names an archive holds twice', () => {
    it.each(['zip', 'tar'] as const)('refuses a %s with two appspec.yml entries', async (format) => {
      const bundle = await handMadeBundle('twice', format, [
        { path: 'appspec.yml', content: 'version: 0.0\nos: linux\n' },
        { path: 'appspec.yml', content: SERVER_APPSPEC.replace('ApplicationStart', 'ApplicationStop') },
        { path: 'app/index.js', content: '' },
        { path: 'scripts/start.sh', content: '' },
      ]);
      const result = await validatePath(bundle);
      expect(result.valid).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: 'bundle-duplicate-entry',
          path: 'appspec.yml',
          message: expect.stringContaining('the bundle holds 2 entries named appspec.yml'),
        }),
      ]);
    });

    it('refuses a bundle with both appspec.yml and appspec.yaml, naming both', async () => {
      const bundle = await handMadeBundle('both', 'zip', [
        { path: 'appspec.yaml', content: 'version: 0.0\nos: linux\n' },
        { path: 'appspec.yml', content: 'version: 0.0\nos: linux\n' },
      ]);
      await expect(validatePath(bundle)).rejects.toThrow(/more than one appspec: appspec.yml, appspec.yaml/);
    });
  });

  it('makes a non-finite or over-long hook timeout an error located in the file', async () => {
    const file = join(work, 'appspec.yml');
    await writeFile(
      file,
      'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: 1e400\n  ApplicationStart:\n    - location: b.sh\n      timeout: 86400\n',
    );
    const result = await validatePath(file);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => `${p.severity} ${p.code}@${p.line}:${p.column} ${p.path}`)).toEqual([
      'error hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout',
      'error hook-timeout-out-of-range@9:16 hooks.ApplicationStart[0].timeout',
    ]);
  });
});
