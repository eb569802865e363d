import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const copies: string[] = [];

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** dist/ copied where no node_modules can be found above it, as a Jenkins agent gets it. */
function isolatedBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codedeploy-gate-jenkins-dist-'));
  copies.push(dir);
  cpSync(DIST, dir, { recursive: true });
  return join(dir, 'codedeploy-gate.mjs');
}

describe('the committed bundle', () => {
  it('is one folder that runs the CLI with nothing installed beside it', () => {
    const size = readdirSync(DIST).reduce((sum, name) => sum + statSync(join(DIST, name)).size, 0);
    expect(size).toBeLessThan(2.5 * 1024 * 1024);
    const bundle = isolatedBundle();
    const help = spawnSync(process.execPath, [bundle, 'deploy', '--help'], { cwd: '/', encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: codedeploy-gate deploy');
    // A command that loads its chunks (validation, bundle reading) runs from the copy too.
    const invalid = spawnSync(process.execPath, [bundle, 'validate', '/no/such/revision'], {
      cwd: '/',
      encoding: 'utf8',
    });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('/no/such/revision');
  });

  it('leaves the local CodeDeploy out, and says so when `local` is asked for', () => {
    const run = spawnSync(process.execPath, [isolatedBundle(), 'local', 'serve'], {
      cwd: '/',
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the local CodeDeploy is not installed: install @codedeploy-gate/local');
  });

  it('is what `pnpm build` makes from the current sources (rebuild and commit dist/ when this fails)', () => {
    // The test task runs after the build, so a committed bundle that differs from a fresh one shows
    // up as a change in the working tree.
    const diff = execFileSync('git', ['status', '--porcelain', '--', DIST], { encoding: 'utf8' });
    expect(diff, 'actions/jenkins/dist/ is stale: run pnpm build and commit it').toBe('');
  });
});
