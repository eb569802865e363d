import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBundle } from '../bundle/index.js';
import { InvalidInputError } from '../errors/index.js';
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
        code: 'hook-script-missing',
        line: 8,
        path: 'hooks.ApplicationStart[0].location',
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
