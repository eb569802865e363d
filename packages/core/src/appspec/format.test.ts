import { describe, expect, it } from 'vitest';
import { formatProblems, validateAppspec } from './index.js';

describe('formatProblems', () => {
  it('prints one block per problem and a summary line', () => {
    const validation = validateAppspec(
      'version: 0.0\nos: linux\nhook: {}\nhooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: -5\n',
      { file: 'appspec.yml' },
    );
    expect(formatProblems(validation)).toBe(
      [
        'appspec.yml:3:1 warning hook: Unknown key "hook" in the AppSpec file; the CodeDeploy agent ignores it.',
        '    hint: Did you mean "hooks"? Known keys here: version, os, files, permissions, hooks, file_exists_behavior.',
        'appspec.yml:7:16 error hooks.AfterInstall[0].timeout: timeout "-5" is not a positive number of seconds (the agent reads it as -5).',
        '    hint: Write the timeout as a whole number of seconds between 1 and 3600, e.g. "timeout: 300".',
        '1 error, 1 warning in appspec.yml',
      ].join('\n'),
    );
  });

  it('leaves out the path for document-level problems and pluralises the summary', () => {
    const text = formatProblems(validateAppspec('a: 1\na: 2\n---\nb: 1\n', { file: 'x.yml' }));
    expect(text).toContain('x.yml:2:1 error a: Duplicate key "a" (first defined on line 1).');
    expect(text).toContain('x.yml:3:1 error The file holds more than one YAML document');
    expect(text.split('\n').pop()).toBe('4 errors, 1 warning in x.yml');
  });

  it('prints only the summary when there is nothing to report', () => {
    expect(formatProblems(validateAppspec('version: 0.0\nos: linux\n', { file: 'appspec.yml' }))).toBe(
      '0 errors, 0 warnings in appspec.yml',
    );
  });
});
