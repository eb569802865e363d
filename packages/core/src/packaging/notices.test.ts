import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBundle } from '../bundle/index.js';
import { packageRevision } from './package-revision.js';

let work: string;
let root: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cdg-notices-'));
  root = join(work, 'app');
  await mkdir(root);
  await put('appspec.yml', 'version: 0.0\nos: linux\n');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function put(path: string, content = 'x'): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), content);
}

const pack = () => packageRevision(root, join(work, 'out.zip'), { format: 'zip' });

describe('packaging notices (security)', () => {
  it('says nothing when nothing was skipped by default', async () => {
    await put('.codedeployignore', '*.log\n');
    await put('debug.log');
    expect((await pack()).notices).toEqual([]);
  });

  it('counts and names what the default secret-safe list skipped, and how to bring one back', async () => {
    await put('.git/config', '[remote "origin"]\n\turl = https://token@example.com/r\n');
    await put('.env', 'SECRET=1\n');
    await put('deploy/id_rsa');
    const result = await pack();
    expect(result.notices).toEqual([
      {
        code: 'default-ignored',
        severity: 'info',
        message:
          'skipped 3 paths by the default secret-safe ignore list (.env, .git/, deploy/id_rsa); `!PATTERN` in .codedeployignore includes one',
        paths: ['.env', '.git', 'deploy/id_rsa'],
      },
    ]);
    const bundle = await openBundle(result.bundle.file);
    expect(bundle.entries.map((e) => e.path)).toEqual(['appspec.yml', 'deploy']);
    await bundle.close();
  });

  it('shows a name with a line break quoted, so it cannot forge a log line or a workflow command', async () => {
    await put('x\n::warning::forged.pem');
    const [notice] = (await pack()).notices;
    expect(notice?.message).toContain('("x\\n::warning::forged.pem")');
    expect(notice?.message).not.toContain('\n');
    expect(notice?.paths).toEqual(['x\n::warning::forged.pem']);
  });

  it('names the first ten paths and counts the rest', async () => {
    for (let i = 0; i < 12; i++) await put(`k${String(i).padStart(2, '0')}.pem`);
    const [notice] = (await pack()).notices;
    expect(notice?.message).toContain('skipped 12 paths');
    expect(notice?.message).toContain('k09.pem and 2 more)');
    expect(notice?.paths).toHaveLength(12);
  });

  it('warns about a bundled file whose content comes from a hard link outside the folder', async () => {
    const outside = join(work, 'elsewhere');
    await writeFile(outside, 'not part of the app');
    await link(outside, join(root, 'data.txt'));
    const result = await pack();
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'outside-hard-links', severity: 'warning', paths: ['data.txt'] }),
    ]);
    expect(result.notices[0]?.message).toMatch(/^1 bundled file is a hard link whose other name is outside/);
  });
});
