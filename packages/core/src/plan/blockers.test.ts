import { describe, expect, it } from 'vitest';
import { findBlockers } from './blockers.js';
import { planRollout } from './rollout.js';

const targets = (...ids: string[]) => ids.map((id) => ({ id, standing: 'current' as const }));
const offline = [{ id: 'web-3', deregisteredAt: '2026-01-01T00:00:00.000Z' }];

function offlineFinding(rollout: ReturnType<typeof planRollout>) {
  return findBlockers({ group: 'app/web', queue: false, rollout: { ...rollout, offline } }).find(
    (finding) => finding.code === 'instances-offline',
  );
}

describe('findBlockers: offline instances', () => {
  it('warns, naming them, when the instances left can still keep the minimum healthy', () => {
    const rollout = planRollout('CodeDeployDefault.OneAtATime', undefined, targets('web-1', 'web-2'), 'tags');
    expect(offlineFinding(rollout)).toMatchObject({
      severity: 'warning',
      message: '1 instance(s) of app/web are deregistered (offline) and would not get this revision: web-3',
    });
  });

  it('blocks when the instances left cannot keep the minimum healthy, or none is left', () => {
    const two = { type: 'HOST_COUNT', value: 2 } as const;
    expect(offlineFinding(planRollout('two', two, targets('web-1', 'web-2'), 'tags'))).toMatchObject({
      severity: 'blocking',
      message:
        '1 instance(s) of app/web are deregistered (offline): web-3; the 2 left cannot keep 2 healthy as two requires',
    });
    expect(offlineFinding(planRollout('CodeDeployDefault.OneAtATime', undefined, [], 'tags'))?.severity).toBe(
      'blocking',
    );
  });
});
