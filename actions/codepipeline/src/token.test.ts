import { describe, expect, it } from 'vitest';
import { type ContinuationState, decodeToken, encodeToken } from './token.js';

describe('continuation tokens', () => {
  it('round-trip the watch and retry states', () => {
    const states: ContinuationState[] = [
      {
        v: 1,
        kind: 'watch',
        deploymentId: 'd-ABC',
        deadline: 1_800_000_000_000,
        timeoutMinutes: 60,
        onTimeout: 'rollback',
      },
      {
        v: 1,
        kind: 'watch',
        deploymentId: 'd-ECS',
        deadline: 1_800_000_000_000,
        timeoutMinutes: 60,
        onTimeout: 'rollback',
        verify: 'TERMINATION_WAIT',
        checks: [{ wait: 'READY_WAIT', at: 1_800_000_000_000, result: 'passed' }],
      },
      { v: 1, kind: 'retry-start', attempt: 2 },
    ];
    for (const state of states) expect(decodeToken(encodeToken(state))).toEqual(state);
  });

  it("keep a failed check's output tail to its end, as much as fits CodePipeline's 2048 characters", () => {
    const tail = Array.from({ length: 200 }, (_, i) => `line ${i} "quoted"`).join('\n');
    const token = encodeToken({
      v: 1,
      kind: 'watch',
      deploymentId: 'd-ECS',
      deadline: 1_800_000_000_000,
      timeoutMinutes: 60,
      onTimeout: 'rollback',
      checks: [{ wait: 'READY_WAIT', at: 1, result: 'failed', exitCode: 1, tail }],
    });
    expect(token.length).toBeLessThanOrEqual(2048);
    expect(token.length).toBeGreaterThan(1900);
    const state = decodeToken(token);
    const kept = state?.kind === 'watch' ? (state.checks?.[0]?.tail ?? '') : '';
    expect(kept.startsWith('…')).toBe(true);
    expect(tail.endsWith(kept.slice(1))).toBe(true);
  });

  it('refuse tokens this worker did not write', () => {
    for (const token of ['d-ABC', '{"v":2,"kind":"watch"}', '{"v":1,"kind":"watch"}', '[]', 'null']) {
      expect(decodeToken(token)).toBeUndefined();
    }
  });
});
