import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../dist/codedeploy-gate.mjs', import.meta.url));

describe('the committed bundle', () => {
  it('is one file that runs the CLI with nothing installed beside it', () => {
    expect(statSync(BUNDLE).size).toBeLessThan(2 * 1024 * 1024);
    // From a folder with no node_modules: the bundle needs only Node.
    const run = spawnSync(process.execPath, [BUNDLE, 'deploy', '--help'], { cwd: '/', encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: codedeploy-gate deploy');
  });

  it('is what `pnpm build` makes from the current sources (rebuild and commit dist/ when this fails)', () => {
    // The test task runs after the build, so a committed bundle that differs from a fresh one shows
    // up as a change in the working tree.
    const diff = execFileSync('git', ['status', '--porcelain', '--', BUNDLE], { encoding: 'utf8' });
    expect(diff, 'actions/jenkins/dist/codedeploy-gate.mjs is stale: run pnpm build and commit it').toBe('');
  });
});
