import type { DeploymentGroupInfo, InstanceInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { eligibleInstances, tagFilterMatches } from './eligibility.js';

const tags = [
  { Key: 'env', Value: 'prod' },
  { Key: 'role', Value: 'web' },
];

describe('tagFilterMatches', () => {
  it('KEY_AND_VALUE needs both to match one tag', () => {
    expect(tagFilterMatches({ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }, tags)).toBe(true);
    expect(tagFilterMatches({ Key: 'env', Value: 'web', Type: 'KEY_AND_VALUE' }, tags)).toBe(false);
  });

  it('KEY_ONLY ignores the value and VALUE_ONLY ignores the key', () => {
    expect(tagFilterMatches({ Key: 'role', Type: 'KEY_ONLY' }, tags)).toBe(true);
    expect(tagFilterMatches({ Key: 'team', Type: 'KEY_ONLY' }, tags)).toBe(false);
    expect(tagFilterMatches({ Value: 'web', Type: 'VALUE_ONLY' }, tags)).toBe(true);
    expect(tagFilterMatches({ Value: 'db', Type: 'VALUE_ONLY' }, tags)).toBe(false);
  });
});

describe('eligibleInstances', () => {
  const instances: Record<string, InstanceInfo> = {
    a: {
      instanceName: 'a',
      tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'role', Value: 'web' },
      ],
    },
    b: {
      instanceName: 'b',
      tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'role', Value: 'db' },
      ],
    },
    c: {
      instanceName: 'c',
      tags: [
        { Key: 'env', Value: 'test' },
        { Key: 'role', Value: 'web' },
      ],
    },
    gone: { instanceName: 'gone', tags: [{ Key: 'env', Value: 'prod' }], deregisterTime: new Date(0) },
  };

  it('OR-s the filters of onPremisesInstanceTagFilters and leaves out deregistered instances', () => {
    const group: DeploymentGroupInfo = {
      onPremisesInstanceTagFilters: [
        { Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' },
        { Key: 'env', Value: 'test', Type: 'KEY_AND_VALUE' },
      ],
    };
    expect(eligibleInstances(group, instances)).toEqual(['a', 'b', 'c']);
  });

  it('AND-s the groups of an onPremisesTagSet', () => {
    const group: DeploymentGroupInfo = {
      onPremisesTagSet: {
        onPremisesTagSetList: [
          [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
          [{ Value: 'web', Type: 'VALUE_ONLY' }],
        ],
      },
    };
    expect(eligibleInstances(group, instances)).toEqual(['a']);
  });

  it('selects nothing for a group without filters', () => {
    expect(eligibleInstances({}, instances)).toEqual([]);
  });
});
