import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../process.js';
import { TEST_RUN_VARIABLE } from './test-run.js';
import { closeAtEnd, markedEnv, STOP_GRACE_MS, stopTracked } from './tracked.js';

/** Gone, or a zombie waiting for a reaper this container may not have: either way, not running. */
function running(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

/** Starts `script` under sh, which prints the pid of the `sleep` it leaves in its group first. */
async function withGrandchild(script: string): Promise<{ leader: number; grandchild: number }> {
  const started = startProcess('sh', ['-c', script]);
  const grandchild = await new Promise<number>((resolve) => {
    started.child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { leader: started.child.pid ?? 0, grandchild };
}

describe('startProcess and the clean-up after each test', () => {
  it('stops a process still running at the end of its test, and the grandchild in its group', async () => {
    const { leader, grandchild } = await withGrandchild('sleep 300 & echo $!; wait');
    expect([running(leader), running(grandchild)]).toEqual([true, true]);

    const leftOver = await stopTracked('test');

    expect(leftOver).toEqual(['sh -c sleep 300 & echo $!; wait']);
    expect([running(leader), running(grandchild)]).toEqual([false, false]);
  });

  it('stops the group a leader that already exited left behind', async () => {
    const { leader, grandchild } = await withGrandchild('sleep 300 >/dev/null & echo $!');
    await expect.poll(() => running(leader), { timeout: 30_000 }).toBe(false);

    expect(await stopTracked('test')).toEqual(['sh -c sleep 300 >/dev/null & echo $!']);
    expect(running(grandchild)).toBe(false);
  });

  it('kills with SIGKILL what ignores SIGTERM, once the grace period has passed', async () => {
    const { leader, grandchild } = await withGrandchild("trap '' TERM; sleep 300 & echo $!; wait");
    const began = Date.now();

    await stopTracked('test');

    expect(Date.now() - began).toBeGreaterThanOrEqual(STOP_GRACE_MS - 100);
    expect([running(leader), running(grandchild)]).toEqual([false, false]);
  });

  it('reports nothing for a process that ended on its own', async () => {
    const run = await startProcess('sh', ['-c', 'exit 3']).done;
    expect(run.code).toBe(3);
    expect(await stopTracked('test')).toEqual([]);
  });

  it('kills what a library started with markedEnv(), where startProcess could not be used', async () => {
    const sh = spawn('sh', ['-c', 'sleep 300 >/dev/null 2>&1 & echo $!'], {
      env: markedEnv({ PATH: process.env.PATH ?? '' }),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [out] = (await once(sh.stdout, 'data')) as [Buffer];
    const orphan = Number(out.toString().trim());
    await once(sh, 'close');

    expect(await stopTracked('test')).toEqual(['sleep 300']);
    await expect.poll(() => running(orphan), { timeout: 30_000 }).toBe(false);
  });

  it("gives the child the test run's marks on top of the environment it is given", async () => {
    const marker = process.env[TEST_RUN_VARIABLE] ?? '';
    expect(marker).not.toBe('');
    const script = `echo "$${TEST_RUN_VARIABLE} $TMPDIR $ONLY"`;
    const given = await startProcess('sh', ['-c', script], {
      env: { PATH: process.env.PATH ?? '', ONLY: 'given' },
    }).done;
    expect(given.stdout).toBe(`${marker} ${tmpdir()} given\n`);
    const own = await startProcess('sh', ['-c', script], {
      env: { PATH: process.env.PATH ?? '', TMPDIR: '/var/tmp', ONLY: 'own' },
    }).done;
    expect(own.stdout).toBe(`${marker} /var/tmp own\n`);
  });
});

describe('closeAtEnd', () => {
  const closed: string[] = [];
  const resource = (name: string) => ({
    close: async () => {
      closed.push(name);
    },
  });

  beforeAll(() => {
    closeAtEnd(resource('opened in beforeAll'));
  });
  afterAll(() => {
    // The file's resource is closed after this hook (the setup file's afterAll runs last).
    expect(closed).toEqual(['opened in a test']);
  });

  it('closes what a test opened when the test ends', async () => {
    closeAtEnd(resource('opened in a test'));
    expect(await stopTracked('test')).toEqual([]);
    expect(closed).toEqual(['opened in a test']);
  });

  it('keeps what was opened in beforeAll open for the next tests', () => {
    expect(closed).toEqual(['opened in a test']);
  });
});
