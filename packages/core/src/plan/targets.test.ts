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
      ['moved', 'Succeeded'],
      ['broke', 'Failed'],
      ['ok', 'Skipped'],
    ]);
    const lastSuccessful = new Map([...succeeded, ['moved', 'Succeeded']]);
    expect(standingOf('broke', lastSuccessful, attempted)).toBe('unhealthy');
    expect(standingOf('ok', lastSuccessful, attempted)).toBe('current');
    expect(standingOf('moved', lastSuccessful, attempted)).toBe('old');
    expect(standingOf('skipped', lastSuccessful, attempted)).toBe('old');
    expect(standingOf('new', lastSuccessful, attempted)).toBe('unknown');
    expect(standingOf('failed-last', new Map([['failed-last', 'Failed']]), new Map())).toBe('unhealthy');
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
