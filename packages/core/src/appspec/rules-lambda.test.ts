import { describe, expect, it } from 'vitest';
import { validateAppspec } from './index.js';

const located = (text: string) =>
  validateAppspec(text, { file: 'appspec.yml', platform: 'lambda' }).problems.map(
    (p) => `${p.severity === 'error' ? 'E' : 'W'} ${p.code}@${p.line}:${p.column} ${p.path}`,
  );
const lambda = (properties: string, extra = '') =>
  `version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties:\n${properties}${extra}`;
const valid =
  '        Name: fn\n        Alias: live\n        CurrentVersion: "1"\n        TargetVersion: 2\n';

describe('Lambda rules', () => {
  it.each([
    ['valid', valid, '', []],
    [
      'missing Alias',
      '        Name: fn\n        CurrentVersion: 1\n        TargetVersion: 2\n',
      '',
      ['E required-key-missing@6:9 Resources[0].fn.Properties.Alias'],
    ],
    [
      '$LATEST version',
      valid.replace('2\n', '$LATEST\n'),
      '',
      ['E lambda-version-invalid@9:24 Resources[0].fn.Properties.TargetVersion'],
    ],
    [
      'zero version',
      valid.replace('"1"', '"0"'),
      '',
      ['E lambda-version-invalid@8:25 Resources[0].fn.Properties.CurrentVersion'],
    ],
    [
      'equal versions',
      valid.replace('2\n', '1\n'),
      '',
      ['E lambda-versions-equal@9:24 Resources[0].fn.Properties.TargetVersion'],
    ],
    [
      'numeric alias',
      valid.replace('live', '"123"'),
      '',
      ['E lambda-alias-invalid@7:16 Resources[0].fn.Properties.Alias'],
    ],
    [
      'bad function name',
      valid.replace('Name: fn', 'Name: my fn'),
      '',
      ['E lambda-name-invalid@6:15 Resources[0].fn.Properties.Name'],
    ],
    [
      'unknown property',
      `${valid}        Description: x\n`,
      '',
      ['W unknown-key@10:9 Resources[0].fn.Properties.Description'],
    ],
    ['EC2-only key', valid, 'os: linux\n', ['E key-not-for-platform@10:1 os']],
    ['files key', valid, 'files: []\n', ['E key-not-for-platform@10:1 files']],
  ])('%s', (_name, properties, extra, expected) => {
    expect(located(lambda(properties, extra))).toEqual(expected);
  });

  it('accepts the lowercase keys the AWS docs use for the Lambda resources section', () => {
    const text =
      'version: 0.0\nresources:\n  - fn:\n      type: "AWS::Lambda::Function"\n      properties:\n        name: fn\n        alias: live\n        currentversion: 1\n        targetversion: 2\n';
    const result = validateAppspec(text, { file: 'appspec.yml' });
    expect(result.platform).toBe('lambda');
    expect(result.problems).toEqual([]);
  });

  it.each([
    ['no Resources', 'version: 0.0\nHooks: []\n', ['E required-key-missing@1:1 Resources']],
    [
      'two resources',
      `${lambda(valid)}  - other:\n      Type: AWS::Lambda::Function\n`,
      ['E resources-count@10:5 Resources'],
    ],
    [
      'resource with two names',
      lambda(valid).replace('  - fn:\n', '  - other: {}\n    fn:\n'),
      ['E resource-invalid@3:5 Resources[0]'],
    ],
    [
      'ECS type on Lambda',
      lambda(valid).replace('AWS::Lambda::Function', 'AWS::ECS::Service'),
      ['E resource-type-invalid@4:13 Resources[0].fn.Type'],
    ],
    ['Resources as a map', 'version: 0.0\nResources:\n  fn: {}\n', ['E wrong-type@3:3 Resources']],
  ])('%s', (_name, text, expected) => {
    expect(located(text)).toEqual(expected);
  });
});
