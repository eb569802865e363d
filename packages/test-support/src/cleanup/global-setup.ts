// vitest `globalSetup` of every package (see vitest.shared.ts at the root): the safety net behind
// the per-test clean-up of vitest-setup.ts. It runs in vitest's main process, before the test
// workers start and after they finished.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLeftovers, findLeftovers, killLeftovers, type TestRun } from './leftovers.js';
import { TEST_RUN_VARIABLE } from './test-run.js';

/** The run's XDG_CACHE_HOME, inside its temporary folder. */
const XDG_CACHE = 'xdg-cache';

/**
 * Gives the run an id and a temporary folder, both inherited by the workers (vitest starts them with
 * this process's environment) and so by everything the tests start. Returns the teardown: it kills
 * every process still carrying either mark, prints their command lines and fails the run; then it
 * removes the folder.
 */
export default function setup(): () => Promise<void> {
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `codedeploy-gate-test-${id}-`));
  process.env[TEST_RUN_VARIABLE] = id;
  process.env.TMPDIR = dir;
  // push's content-hash cache (core/bundle/content-cache.ts) goes to XDG_CACHE_HOME: the run's own,
  // so tests leave nothing in the user's ~/.cache.
  process.env.XDG_CACHE_HOME = join(dir, XDG_CACHE);
  return () => teardown({ id, dir });
}

async function teardown(run: Required<TestRun>): Promise<void> {
  // This process's children are vitest's own workers, still alive until the pool closes.
  const leftovers = findLeftovers(run, ({ ppid }) => ppid === process.pid);
  if (leftovers.length > 0) {
    killLeftovers(leftovers);
    console.error(`\n${describeLeftovers(leftovers)}\n`);
    process.exitCode = 1;
  }
  removeFolder(run.dir);
}

/**
 * Removes the run's folder, so that what failed tests left in it does not pile up on a shared machine,
 * after naming what the tests left there (a test should remove what it makes, as it stops what it
 * starts). tsx's compile cache is no test's to remove.
 */
function removeFolder(dir: string): void {
  const left = existsSync(dir)
    ? readdirSync(dir).filter((name) => !name.startsWith('tsx-') && name !== XDG_CACHE)
    : [];
  if (left.length > 0) {
    console.error(`left in the test run's temporary folder by the tests (removed now): ${left.join(', ')}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
