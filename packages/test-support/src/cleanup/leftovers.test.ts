import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import setup from './global-setup.js';
import { findLeftovers, killLeftovers } from './leftovers.js';
import { TEST_RUN_VARIABLE } from './test-run.js';

// These tests make leaks on purpose, with plain spawn (startProcess would stop them itself); each
// is killed after its test whatever happens.
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Killed by the test, as it should be.
    }
  }
});

function running(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

/** A `sleep 300` whose parent exited at once: an orphan, as a leaked grandchild of a test is. */
async function orphan(env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<number> {
  const sh: ChildProcess = spawn('sh', ['-c', 'sleep 300 >/dev/null 2>&1 & echo $!'], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  sh.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  await new Promise((resolve) => sh.once('close', resolve));
  const pid = Number(out.trim());
  started.push(pid);
  return pid;
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const PATH_ONLY = { PATH: process.env.PATH ?? '' };

describe('findLeftovers', () => {
  it("finds a process carrying the run's marker, whoever started it, and killLeftovers ends it", async () => {
    const id = `test-${process.pid}-marker`;
    const marked = await orphan({ ...PATH_ONLY, [TEST_RUN_VARIABLE]: id });
    const unmarked = await orphan({ ...PATH_ONLY, [TEST_RUN_VARIABLE]: `${id}-another-run` });

    const found = findLeftovers({ id });

    expect(found).toEqual([
      {
        pid: marked,
        pgid: expect.any(Number),
        ppid: expect.any(Number),
        command: 'sleep 300',
        mark: 'marker variable',
      },
    ]);
    killLeftovers(found);
    await expect.poll(() => running(marked), { timeout: 30_000 }).toBe(false);
    expect(running(unmarked)).toBe(true);
  });

  it("finds a process without the marker that works in, or names, the run's temporary folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leftovers-run-'));
    try {
      const inside = await orphan(PATH_ONLY, dir);
      const withTmpdir = await orphan({ ...PATH_ONLY, TMPDIR: dir });
      const elsewhere = await orphan(PATH_ONLY);

      const found = findLeftovers({ id: `test-${process.pid}-folder`, dir });

      expect(found.map((l) => [l.pid, l.mark]).sort()).toEqual(
        [
          [inside, 'temporary folder'],
          [withTmpdir, 'temporary folder'],
        ].sort(),
      );
      expect(found.map((l) => l.pid)).not.toContain(elsewhere);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the global teardown', () => {
  it('kills what carries the run’s mark, lists its command line and fails the run', async () => {
    const saved = {
      marker: process.env[TEST_RUN_VARIABLE],
      tmpdir: process.env.TMPDIR,
      exitCode: process.exitCode,
    };
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const teardown = setup();
      const leaked = await orphan({ ...PATH_ONLY, [TEST_RUN_VARIABLE]: process.env[TEST_RUN_VARIABLE] });

      await teardown();

      expect(process.exitCode).toBe(1);
      const report = printed.mock.calls.flat().join('\n');
      expect(report).toContain(`pid ${leaked} (marker variable): sleep 300`);
      await expect.poll(() => running(leaked), { timeout: 30_000 }).toBe(false);
    } finally {
      printed.mockRestore();
      process.exitCode = saved.exitCode;
      restore(TEST_RUN_VARIABLE, saved.marker);
      restore('TMPDIR', saved.tmpdir);
    }
  });
});
