import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

// The bin runs dist/bundle/ (built by `pnpm build`); the bundle must carry what it used to read beside
// dist/ at run time, such as the version, so it runs from a folder of its own as the actions' copies do.

const BUNDLE = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

describe('the bundled CLI', () => {
  it('prints the package version and validates a revision from a copy of the bundle alone', async () => {
    work = await mkdtemp(join(tmpdir(), 'codedeploy-gate-bundle-'));
    await cp(BUNDLE, join(work, 'bundle'), { recursive: true });
    const script = join(work, 'bundle', 'index.js');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

    const version = await runCli(['--version'], { cwd: work, script });
    const validate = await runCli(['validate', join(EXAMPLES, 'sample-app')], { cwd: work, script });

    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(validate.code, validate.stderr).toBe(0);
  });
});
