import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it("keeps the user's environment but reads no shell start-up file, not even through a bash the check starts", async () => {
    const home = await mkdtemp(join(tmpdir(), 'verification-home-'));
    try {
      const startUp = 'export FROM_START_UP=read; echo "start-up file read" >&2\n';
      await writeFile(join(home, '.bashrc'), startUp);
      await writeFile(join(home, 'bash-env.sh'), startUp);
      const lines: string[] = [];
      const result = await runVerification(
        'echo "token=$DEPLOY_TOKEN"; bash -c \'echo "nested=[$FROM_START_UP]"\'; echo "top=[$FROM_START_UP]"',
        {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            DEPLOY_TOKEN: 'kept',
            BASH_ENV: join(home, 'bash-env.sh'),
            ENV: join(home, 'bash-env.sh'),
          },
          onLine: (line) => lines.push(line),
        },
      );
      expect(result).toEqual({ ok: true, exitCode: 0 });
      expect(lines).toEqual(['token=kept', 'nested=[]', 'top=[]']);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
