import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION } from './support/runner.js';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

describe('the committed dist/', () => {
  it('is what action.yml runs (a bundle and its chunks), under 2.5 MiB in all, and runs with nothing installed beside it', () => {
    const runs = (ACTION as unknown as { runs: Record<string, string> }).runs;
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
    const files = readdirSync(DIST).sort();
    const chunks = files.filter((file) => /^\d+\.index\.js$/.test(file));
    expect(files.filter((file) => !chunks.includes(file))).toEqual([
      'index.js',
      'licenses.txt',
      'package.json',
      'post.js',
    ]);
    const total = files.reduce((sum, file) => sum + statSync(join(DIST, file)).size, 0);
    // 2.5 MiB: plan mode's chunk carries Octokit with @actions/github's proxy support (0.54 MB),
    // loaded only when `mode: plan` posts a pull-request comment.
    expect(total).toBeLessThan(2.5 * 1024 * 1024);
    expect(JSON.parse(readFileSync(join(DIST, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    // From a folder with no node_modules and no inputs: the bundle starts and fails cleanly.
    const run = spawnSync(process.execPath, [join(DIST, 'index.js')], {
      cwd: '/',
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('::error::input "application" is required');
  });

  it('is what `pnpm build` makes from the current sources (rebuild and commit dist/ when this fails)', () => {
    // The test task runs after the build, so a committed dist that differs from a fresh one shows up
    // as a change in the working tree.
    const diff = execFileSync('git', ['status', '--porcelain', '--', DIST], { encoding: 'utf8' });
    expect(diff, 'actions/github/dist is stale: run pnpm build and commit it').toBe('');
  });
});
