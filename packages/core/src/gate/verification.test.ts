import { describe, expect, it } from 'vitest';
import { runVerification } from './verification.js';

describe('runVerification', () => {
  it('streams each line of stdout and stderr and passes on exit 0', async () => {
    const lines: string[] = [];
    const result = await runVerification('echo one; echo two >&2; echo three', {
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
    });
    expect(result).toEqual({ ok: true, exitCode: 0 });
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']);
  });

  it('fails on a non-zero exit', async () => {
    expect(await runVerification('exit 3')).toEqual({ ok: false, exitCode: 3 });
  });

  it('kills the whole process group on timeout, children included', async () => {
    const started = Date.now();
    const result = await runVerification('sleep 30 & sleep 30; wait', { timeoutMs: 300 });
    expect(result.ok).toBe(false);
    expect(result.killedBy).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is killed when the signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGTERM'), 200);
    const result = await runVerification('sleep 30', { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, killedBy: 'cancel' });
  });
});
