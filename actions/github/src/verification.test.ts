import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markedEnv } from '@codedeploy-gate/test-support';
import { describe, expect, it } from 'vitest';
import { execVerification } from './verification.js';

describe('execVerification (continue-after through @actions/exec)', () => {
  it('passes on exit 0 and fails with the exit code otherwise, in the given folder and environment', async () => {
    expect(
      await execVerification('test "$PWD" = /tmp && test "$GREETING" = hi', {
        cwd: '/tmp',
        env: { ...process.env, GREETING: 'hi' },
      }),
    ).toEqual({ ok: true, exitCode: 0 });
    expect(await execVerification('exit 7', {})).toEqual({ ok: false, exitCode: 7 });
  });

  it('hands each output line to onLine, stdout and stderr apart, for the gate to mask and log', async () => {
    const lines: Array<[string, string]> = [];
    const result = await execVerification('echo one; echo two >&2; echo three', {
      onLine: (line, stream) => lines.push([stream, line]),
    });
    expect(result.ok).toBe(true);
    expect(lines.filter(([stream]) => stream === 'stdout').map(([, line]) => line)).toEqual(['one', 'three']);
    expect(lines.filter(([stream]) => stream === 'stderr').map(([, line]) => line)).toEqual(['two']);
  });

  it('runs under bash -e: a failing line fails the check even when a later one would pass', async () => {
    expect((await execVerification('false\ntrue', {})).ok).toBe(false);
  });

  it('gives up at the timeout and on cancellation, as a failed check', async () => {
    // @actions/exec cannot kill what it started: the marked environment lets the test's clean-up do it.
    expect(await execVerification('sleep 5', { timeoutMs: 200, env: markedEnv() })).toEqual({
      ok: false,
      exitCode: null,
      killedBy: 'timeout',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 100);
    expect(await execVerification('sleep 5', { signal: controller.signal, env: markedEnv() })).toMatchObject({
      ok: false,
      killedBy: 'cancel',
    });
  });

  it("reads no shell start-up file: not ~/.bashrc (bash's stdin is a socket here), not BASH_ENV", async () => {
    const home = await mkdtemp(join(tmpdir(), 'exec-verification-home-'));
    try {
      await writeFile(join(home, '.bashrc'), 'export FROM_BASHRC=read\n');
      await writeFile(join(home, 'bash-env.sh'), 'export FROM_BASH_ENV=read\n');
      const check = 'test -z "$FROM_BASHRC$FROM_BASH_ENV" && test "$DEPLOY_TOKEN" = kept';
      expect(
        await execVerification(check, {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            DEPLOY_TOKEN: 'kept',
            BASH_ENV: join(home, 'bash-env.sh'),
          },
        }),
      ).toEqual({ ok: true, exitCode: 0 });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
