import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';
import { HookEnvironmentError } from './user-env.js';

function failure(text: string): HookEnvironmentError {
  try {
    parseEnvFile(text);
  } catch (error) {
    if (error instanceof HookEnvironmentError) return error;
    throw error;
  }
  throw new Error('expected parseEnvFile to refuse the text');
}

describe('parseEnvFile', () => {
  it('reads NAME=VALUE lines, skipping blanks and comments, with the line of each', () => {
    const text = [
      '# credentials for the smoke test',
      '',
      'API_URL=https://example.test/a?b=c',
      '  export REGION = eu-west-1  ',
      'EMPTY=',
      'PLAIN=two words # a comment',
      "SINGLE='keeps $HOME and \\n as written'",
      'DOUBLE="line\\none \\"quoted\\" \\$HOME" # trailing comment',
      'HASH=a#b',
    ].join('\r\n');
    expect(parseEnvFile(text)).toEqual([
      { name: 'API_URL', value: 'https://example.test/a?b=c', line: 3 },
      { name: 'REGION', value: 'eu-west-1', line: 4 },
      { name: 'EMPTY', value: '', line: 5 },
      { name: 'PLAIN', value: 'two words', line: 6 },
      { name: 'SINGLE', value: 'keeps $HOME and \\n as written', line: 7 },
      { name: 'DOUBLE', value: 'line\none "quoted" $HOME', line: 8 },
      { name: 'HASH', value: 'a#b', line: 9 },
    ]);
  });

  it('names the line of a line that is not NAME=VALUE, without quoting it (it may be a secret)', () => {
    const error = failure('A=1\nghp_0123456789abcdef\n');
    expect(error.message).toBe('line 2: expected NAME=VALUE');
    expect(error.line).toBe(2);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toMatch(/NAME=VALUE/);
  });

  it('refuses names that are not variable names, and the ones no hook may get', () => {
    expect(failure('1ABC=x').message).toBe('line 1: the text before "=" is not a variable name');
    expect(failure('OK=1\nBASH_ENV=/tmp/rc').message).toBe('line 2: BASH_ENV cannot be passed to hooks');
    expect(failure('ENV=/tmp/rc').hint).toMatch(/start-up files never run/);
    expect(failure('CODEDEPLOY_GATE_LOCAL_RUN=x').message).toMatch(/cannot be passed/);
  });

  it('refuses a quote left open or text after a quoted value', () => {
    expect(failure('A="open').message).toBe('line 1: the value\'s " is never closed');
    expect(failure("A='x' y").message).toBe('line 1: unexpected text after the quoted value');
  });
});
