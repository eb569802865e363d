import { describe, expect, it } from 'vitest';
import { groupSelectsInstance } from './instance-selection.js';
import { standingOf } from './targets.js';

describe('standingOf', () => {
  const succeeded = new Map([
    ['ok', 'Succeeded'],
    ['skipped', 'Skipped'],
  ]);
  it('reads an instance’s standing from the last successful and last attempted deployments', () => {
    const attempted = new Map([
      ['ok', 'Succeeded'],
      ['broke', 'Failed'],
    ]);
    expect(standingOf('broke', succeeded, attempted)).toBe('unhealthy');
    expect(standingOf('ok', succeeded, attempted)).toBe('current');
    expect(standingOf('skipped', succeeded, attempted)).toBe('old');
    expect(standingOf('new', succeeded, attempted)).toBe('unknown');
  });
});

describe('groupSelectsInstance', () => {
  it('ORs the tag filters, ANDs the tag set groups, and skips deregistered instances', () => {
    const tags = [
      { Key: 'app', Value: 'web' },
      { Key: 'env', Value: 'prod' },
    ];
    expect(
      groupSelectsInstance(
        { onPremisesInstanceTagFilters: [{ Key: 'app', Value: 'web', Type: 'KEY_AND_VALUE' }] },
        { tags },
      ),
    ).toBe(true);
    expect(
      groupSelectsInstance(
        {
          onPremisesTagSet: {
            onPremisesTagSetList: [
              [{ Key: 'app', Type: 'KEY_ONLY' }],
              [{ Value: 'test', Type: 'VALUE_ONLY' }],
            ],
          },
        },
        { tags },
      ),
    ).toBe(false);
    expect(
      groupSelectsInstance(
        { onPremisesInstanceTagFilters: [{ Key: 'app', Type: 'KEY_ONLY' }] },
        { tags, deregisterTime: new Date() },
      ),
    ).toBe(false);
  });
});
