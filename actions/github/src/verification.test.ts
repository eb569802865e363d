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
});
