import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';
import { runCheck } from './wait-check.js';

describe('secrets', () => {
  it('masks the check output it logs and keeps for the failure message, a private key across lines included', async () => {
    const key = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const token = `npm_${'R2d'.repeat(12)}`;
    const logged: string[] = [];
    const run = await runCheck(`cat <<'KEY'\n${key}KEY\necho "publishing with ${token}"; exit 2`, {
      cwd: process.cwd(),
      deploymentId: 'd-CHECK',
      waitType: 'READY_WAIT',
      timeoutMs: 30_000,
      log: createLogger((line) => logged.push(line)),
    });
    expect(run.ok).toBe(false);
    expect(run.tail).toBe('***\n***\n***\npublishing with ***');
    expect(run.masked).toBe(2);
    const output = logged.map((line) => JSON.parse(line)).filter((line) => line.msg === 'check output');
    expect(output.map((line) => line.line)).toEqual(['***', '***', '***', 'publishing with ***']);
    expect(logged.join('\n')).not.toContain(key.split('\n')[1]);
    expect(logged.join('\n')).not.toContain(token);
  });
});
