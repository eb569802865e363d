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
      { v: 1, kind: 'retry-start', attempt: 2 },
    ];
    for (const state of states) expect(decodeToken(encodeToken(state))).toEqual(state);
  });

  it('refuse tokens this worker did not write', () => {
    for (const token of ['d-ABC', '{"v":2,"kind":"watch"}', '{"v":1,"kind":"watch"}', '[]', 'null']) {
      expect(decodeToken(token)).toBeUndefined();
    }
  });
});
