import { describe, expect, it } from 'vitest';
import { type RevisionContents, validateAppspec } from './index.js';

const located = (text: string, contents?: RevisionContents) =>
  validateAppspec(
    text,
    contents === undefined ? { file: 'appspec.yml' } : { file: 'appspec.yml', contents },
  ).problems.map((p) => `${p.severity === 'error' ? 'E' : 'W'} ${p.code}@${p.line}:${p.column} ${p.path}`);
const server = (hooks: string) => `version: 0.0\nos: linux\nhooks:\n${hooks}`;

describe('server hooks', () => {
  it.each([
    [
      'unknown event',
      '  AfterInstal:\n    - location: a.sh\n',
      ['E hook-unknown-event@4:3 hooks.AfterInstal'],
    ],
    [
      'service-only event',
      '  DownloadBundle:\n    - location: a.sh\n',
      ['E hook-not-scriptable@4:3 hooks.DownloadBundle'],
    ],
    [
      'ECS-only event on server',
      '  AfterAllowTestTraffic:\n    - location: a.sh\n',
      ['E hook-unknown-event@4:3 hooks.AfterAllowTestTraffic'],
    ],
    [
      'event not a list',
      '  AfterInstall:\n    location: a.sh\n',
      ['E hook-event-not-list@5:5 hooks.AfterInstall'],
    ],
    [
      'script as a bare string',
      '  AfterInstall:\n    - a.sh\n',
      ['E hook-script-not-map@5:7 hooks.AfterInstall[0]'],
    ],
    [
      'missing location',
      '  AfterInstall:\n    - timeout: 30\n',
      ['E hook-location-missing@5:7 hooks.AfterInstall[0].location'],
    ],
    [
      'empty location',
      '  AfterInstall:\n    - location: ""\n',
      ['E hook-location-missing@5:17 hooks.AfterInstall[0].location'],
    ],
    [
      'zero timeout',
      '  AfterInstall:\n    - location: a.sh\n      timeout: 0\n',
      ['E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
    ],
    [
      'text timeout',
      '  AfterInstall:\n    - location: a.sh\n      timeout: soon\n',
      ['E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
    ],
    [
      'fractional timeout',
      '  AfterInstall:\n    - location: a.sh\n      timeout: 30.5\n',
      ['W hook-timeout-not-integer@6:16 hooks.AfterInstall[0].timeout'],
    ],
    [
      'timeout typo',
      '  AfterInstall:\n    - location: a.sh\n      timout: 30\n',
      ['W unknown-key@6:7 hooks.AfterInstall[0].timout'],
    ],
    [
      'timeouts over the event budget',
      '  BeforeInstall:\n    - location: a.sh\n      timeout: 3000\n    - location: b.sh\n      timeout: 900\n',
      ['E hook-timeouts-exceed-event-limit@4:3 hooks.BeforeInstall'],
    ],
    ['empty event', '  AfterInstall:\n', ['W hook-event-empty@4:3 hooks.AfterInstall']],
    [
      'events out of lifecycle order',
      '  ApplicationStart:\n    - location: a.sh\n  BeforeInstall:\n    - location: b.sh\n',
      ['W hooks-out-of-order@6:3 hooks.BeforeInstall'],
    ],
    [
      'backslash in location',
      '  AfterInstall:\n    - location: scripts\\a.sh\n',
      ['W hook-location-backslash@5:17 hooks.AfterInstall[0].location'],
    ],
    [
      'sudo not boolean',
      '  AfterInstall:\n    - location: a.sh\n      sudo: please\n',
      ['W hook-sudo-not-boolean@6:13 hooks.AfterInstall[0].sudo'],
    ],
  ])('%s', (_name, hooks, expected) => {
    expect(located(server(hooks))).toEqual(expected);
  });

  it('suggests the closest event and lists the valid ones', () => {
    const [problem] = validateAppspec(server('  AfterInstal:\n    - location: a.sh\n'), {
      file: 'appspec.yml',
    }).problems;
    expect(problem?.hint).toContain('Did you mean AfterInstall?');
    expect(problem?.hint).toContain(
      'Valid events for server: BeforeBlockTraffic, AfterBlockTraffic, ApplicationStop',
    );
  });

  it('explains that the agent runs hooks in lifecycle order', () => {
    const [problem] = validateAppspec(
      server('  ValidateService:\n    - location: a.sh\n  ApplicationStop:\n    - location: b.sh\n'),
      { file: 'appspec.yml' },
    ).problems;
    expect(problem?.hint).toContain('lifecycle order');
  });

  it('warns that runas is ignored on Windows', () => {
    const text =
      'version: 0.0\nos: windows\nhooks:\n  AfterInstall:\n    - location: a.ps1\n      runas: admin\n';
    expect(located(text)).toEqual(['W hook-runas-windows@6:7 hooks.AfterInstall[0].runas']);
  });

  it('checks hook scripts against the revision contents', () => {
    const contents: RevisionContents = {
      has: (path) => ({ 'scripts/a.sh': 'file', scripts: 'directory' })[path] as 'file' | undefined,
    };
    const text = server(
      '  AfterInstall:\n    - location: scripts/a.sh\n    - location: ./scripts/b.sh\n    - location: scripts\n',
    );
    expect(located(text, contents)).toEqual([
      'E hook-script-missing@6:17 hooks.AfterInstall[1].location',
      'E hook-script-not-file@7:17 hooks.AfterInstall[2].location',
    ]);
    expect(validateAppspec(text, { file: 'appspec.yml', contents }).problems[0]?.hint).toContain(
      'scripts/b.sh',
    );
  });
});

describe('hostile input: hook timeouts', () => {
  const timeout = (value: string) =>
    server(`  AfterInstall:\n    - location: a.sh\n      timeout: ${value}\n`);
  it.each([
    ['1e400', 'E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout'],
    ['"1e400"', 'E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout'],
    ['1e5', 'E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout'],
    ['3601', 'E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout'],
    ['99999999999999999999999', 'E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout'],
    ['.inf', 'E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
    ['-1e400', 'E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
    ['1.0e+400', 'E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
    ['.nan', 'E hook-timeout-invalid@6:16 hooks.AfterInstall[0].timeout'],
  ])('timeout: %s is an error on its own line', (value, expected) => {
    expect(located(timeout(value))).toEqual([expected]);
  });

  it('keeps 3600 valid and an in-range odd spelling a warning', () => {
    expect(located(timeout('3600'))).toEqual([]);
    expect(located(timeout('"30 seconds"'))).toEqual([
      'W hook-timeout-not-integer@6:16 hooks.AfterInstall[0].timeout',
    ]);
  });

  it('says what the writer wrote and what the agent would read', () => {
    const [problem] = validateAppspec(timeout('1e400'), { file: 'appspec.yml' }).problems;
    expect(problem?.message).toBe(
      'timeout "1e400" is not a finite number of seconds, beyond the agent\'s limit of 3600 seconds (the agent reads it as 1).',
    );
    const [big] = validateAppspec(timeout('86400'), { file: 'appspec.yml' }).problems;
    expect(big?.message).toBe(
      'timeout "86400" is 86400 seconds, more than the agent\'s limit of 3600 seconds.',
    );
  });

  it('reports an over-long script once, not again as the event budget', () => {
    const text = server(
      '  AfterInstall:\n    - location: a.sh\n      timeout: 5000\n    - location: b.sh\n      timeout: 600\n',
    );
    expect(located(text)).toEqual(['E hook-timeout-out-of-range@6:16 hooks.AfterInstall[0].timeout']);
  });
});

describe('Lambda and ECS hooks', () => {
  const lambda = (hooks: string) =>
    `version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties: {Name: fn, Alias: live, CurrentVersion: 1, TargetVersion: 2}\nHooks:\n${hooks}`;
  it.each([
    [
      'ECS event on Lambda',
      '  - AfterAllowTestTraffic: check\n',
      ['E hook-unknown-event@7:5 Hooks[0].AfterAllowTestTraffic'],
    ],
    [
      'server-style hooks map',
      '  BeforeAllowTraffic:\n    - location: a.sh\n',
      ['E hooks-not-list@7:3 Hooks'],
    ],
    [
      'two events in one item',
      '  - BeforeAllowTraffic: a\n    AfterAllowTraffic: b\n',
      ['E hook-item-invalid@7:5 Hooks[0]'],
    ],
    [
      'same event twice',
      '  - BeforeAllowTraffic: a\n  - BeforeAllowTraffic: b\n',
      ['E hook-duplicate-event@8:5 Hooks[1].BeforeAllowTraffic'],
    ],
    [
      'empty function',
      '  - BeforeAllowTraffic:\n',
      ['E hook-function-invalid@7:5 Hooks[0].BeforeAllowTraffic'],
    ],
    [
      'function with spaces',
      '  - BeforeAllowTraffic: my function\n',
      ['E hook-function-invalid@7:25 Hooks[0].BeforeAllowTraffic'],
    ],
    [
      'out of order',
      '  - AfterAllowTraffic: a\n  - BeforeAllowTraffic: b\n',
      ['W hooks-out-of-order@8:5 Hooks[1].BeforeAllowTraffic'],
    ],
    [
      'event in other case',
      '  - beforeallowtraffic: a\n',
      ['W hook-event-case@7:5 Hooks[0].beforeallowtraffic'],
    ],
    [
      'function ARN',
      '  - BeforeAllowTraffic: arn:aws:lambda:us-east-1:111122223333:function:check:live\n',
      [],
    ],
  ])('%s', (_name, hooks, expected) => {
    expect(located(lambda(hooks))).toEqual(expected);
  });
});
