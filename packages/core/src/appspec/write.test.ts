import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { validateAppspec } from './validate.js';
import { assertValidBuiltAppspec, hookList, writeServiceAppspec } from './write.js';

const appspec = {
  Resources: [
    {
      yes: {
        Type: 'AWS::Lambda::Function',
        Properties: { Name: 'yes', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' },
      },
    },
  ],
  Hooks: [{ BeforeAllowTraffic: 'check' }],
};

describe('writeServiceAppspec', () => {
  it('writes YAML with version 0.0 first, quoted strings and keys YAML would misread quoted', () => {
    expect(writeServiceAppspec(appspec, 'yaml')).toBe(
      [
        'version: 0.0',
        'Resources:',
        '  - "yes":',
        '      Type: "AWS::Lambda::Function"',
        '      Properties:',
        '        Name: "yes"',
        '        Alias: "live"',
        '        CurrentVersion: "1"',
        '        TargetVersion: "2"',
        'Hooks:',
        '  - BeforeAllowTraffic: "check"',
        '',
      ].join('\n'),
    );
  });

  it('writes JSON whose version is the number 0.0, and parses back to the same data', () => {
    const json = writeServiceAppspec(appspec, 'json');
    expect(json.split('\n').slice(0, 3)).toEqual(['{', '  "version": 0.0,', '  "Resources": [']);
    expect(JSON.parse(json)).toEqual({ version: 0, ...appspec });
  });

  it('writes lists of scalars and numbers in YAML, and leaves Hooks out when there are none', () => {
    const yaml = writeServiceAppspec(
      {
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: { Subnets: ['subnet-1', 'subnet-2'], Port: 80 },
            },
          },
        ],
        Hooks: [],
      },
      'yaml',
    );
    expect(yaml).toContain(
      '        Subnets:\n          - "subnet-1"\n          - "subnet-2"\n        Port: 80\n',
    );
    expect(yaml).not.toContain('Hooks');
    expect(validateAppspec(yaml, { file: 'x.yml', platform: 'ecs' }).appspec).toMatchObject({
      Resources: [{ TargetService: { Properties: { Subnets: ['subnet-1', 'subnet-2'], Port: 80 } } }],
    });
  });
});

describe('hookList', () => {
  it('lists the hooks given a function in lifecycle order, whatever order they were given in', () => {
    expect(
      hookList(['BeforeAllowTraffic', 'AfterAllowTraffic'], {
        AfterAllowTraffic: 'b',
        BeforeAllowTraffic: 'a',
      }),
    ).toEqual([{ BeforeAllowTraffic: 'a' }, { AfterAllowTraffic: 'b' }]);
    expect(hookList(['BeforeAllowTraffic'], { BeforeAllowTraffic: '' })).toEqual([]);
    expect(hookList(['BeforeAllowTraffic'], undefined)).toEqual([]);
  });
});

describe('assertValidBuiltAppspec', () => {
  it('passes a valid AppSpec and turns the errors of an invalid one into one input error with the fields', () => {
    expect(() =>
      assertValidBuiltAppspec(writeServiceAppspec(appspec, 'yaml'), 'lambda', 'yes:live', ''),
    ).not.toThrow();
    const bad = writeServiceAppspec({ ...appspec, Hooks: [{ BeforeAllowTraffic: 'not a name!' }] }, 'yaml');
    const error = (() => {
      try {
        assertValidBuiltAppspec(bad, 'lambda', 'yes:live', 'Check the hook function names.');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(
      /^the AppSpec built for yes:live is invalid: Hooks\[0\]\.BeforeAllowTraffic: /,
    );
    expect((error as InvalidInputError).message).toContain('nothing was created');
    expect((error as InvalidInputError).hint).toContain('Check the hook function names.');
  });
});
