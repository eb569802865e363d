import { describe, expect, it } from 'vitest';
import { validateAppspec } from '../appspec/validate.js';
import { buildLambdaAppspec } from './lambda-appspec.js';

const input = {
  functionName: 'checkout',
  alias: 'live',
  currentVersion: '6',
  targetVersion: '7',
  hooks: { AfterAllowTraffic: 'checkout-smoke-after', BeforeAllowTraffic: 'checkout-smoke-before' },
};

describe('buildLambdaAppspec', () => {
  it('writes the YAML the AWS docs show, hooks in lifecycle order, and the validator accepts it', () => {
    const yaml = buildLambdaAppspec(input);

    expect(yaml).toBe(
      [
        'version: 0.0',
        'Resources:',
        '  - checkout:',
        '      Type: "AWS::Lambda::Function"',
        '      Properties:',
        '        Name: "checkout"',
        '        Alias: "live"',
        '        CurrentVersion: "6"',
        '        TargetVersion: "7"',
        'Hooks:',
        '  - BeforeAllowTraffic: "checkout-smoke-before"',
        '  - AfterAllowTraffic: "checkout-smoke-after"',
        '',
      ].join('\n'),
    );
    const validation = validateAppspec(yaml, { file: 'appspec.yaml', platform: 'lambda' });
    expect(validation.problems).toEqual([]);
  });

  it('writes the same AppSpec as JSON, also without a problem', () => {
    const json = buildLambdaAppspec(input, 'json');

    const validation = validateAppspec(json, { file: 'appspec.json', platform: 'lambda' });
    expect(validation.problems).toEqual([]);
    expect(validation.appspec).toEqual(
      validateAppspec(buildLambdaAppspec(input), { file: 'a.yml', platform: 'lambda' }).appspec,
    );
  });

  it('names the resource after the function when given its ARN, and leaves Hooks out without hooks', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:checkout';
    const yaml = buildLambdaAppspec({ ...input, functionName: arn, hooks: undefined });

    expect(yaml).toContain(
      `  - checkout:\n      Type: "AWS::Lambda::Function"\n      Properties:\n        Name: "${arn}"`,
    );
    expect(yaml).not.toContain('Hooks');
    expect(validateAppspec(yaml, { file: 'appspec.yaml', platform: 'lambda' }).valid).toBe(true);
  });

  it('keeps only the hooks given a function', () => {
    const yaml = buildLambdaAppspec({ ...input, hooks: { AfterAllowTraffic: 'after' } });
    expect(yaml.endsWith('Hooks:\n  - AfterAllowTraffic: "after"\n')).toBe(true);
  });
});
