import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/codedeploy-gate-codepipeline.js', import.meta.url));

describe('the committed dist/', () => {
  it('is a bundle and its chunks, under 2 MB, that runs with nothing installed beside it', () => {
    const files = readdirSync(DIST).sort();
    expect(files.filter((file) => !/^\d+\.index\.js$/.test(file))).toEqual([
      'index.js',
      'licenses.txt',
      'package.json',
    ]);
    const total = files.reduce((sum, file) => sum + statSync(join(DIST, file)).size, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
    const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: '/', encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: codedeploy-gate-codepipeline --provider NAME --version V');
  });

  it('is what `pnpm build` makes from the current sources (rebuild and commit dist/ when this fails)', () => {
    const diff = execFileSync('git', ['status', '--porcelain', '--', DIST], { encoding: 'utf8' });
    expect(diff, 'actions/codepipeline/dist is stale: run pnpm build and commit it').toBe('');
  });
});
