import { describe, expect, it } from 'vitest';
import {
  describeScalar,
  isOctalLooking,
  resolvePlainScalar,
  resolveTaggedScalar,
  rubyToS,
} from './scalars.js';

describe('resolvePlainScalar (Psych, YAML 1.1)', () => {
  it.each([
    ['', 'null', null],
    ['~', 'null', null],
    ['null', 'null', null],
    ['NULL', 'null', null],
    ['true', 'bool', true],
    ['Yes', 'bool', true],
    ['ON', 'bool', true],
    ['no', 'bool', false],
    ['Off', 'bool', false],
    ['False', 'bool', false],
    ['y', 'str', 'y'],
    ['0644', 'int', 420],
    ['0755', 'int', 493],
    ['644', 'int', 644],
    ['0', 'int', 0],
    ['0x1F', 'int', 31],
    ['0b101', 'int', 5],
    ['1_000', 'int', 1000],
    ['1,000', 'int', 1000],
    ['-42', 'int', -42],
    ['1:30', 'int', 90],
    ['0.0', 'float', 0],
    ['.5', 'float', 0.5],
    ['1.', 'float', 1],
    ['1.5e+3', 'float', 1500],
    ['1e3', 'str', '1e3'],
    ['09', 'str', '09'],
    ['linux', 'str', 'linux'],
    ['1.4.0', 'str', '1.4.0'],
    ['2024-01-31', 'timestamp', '2024-01-31'],
    [':sym', 'symbol', ':sym'],
  ])('%j -> %s %j', (text, type, value) => {
    expect(resolvePlainScalar(text)).toEqual({ type, value });
  });

  it('reads .inf and .nan as floats', () => {
    expect(resolvePlainScalar('.inf').value).toBe(Number.POSITIVE_INFINITY);
    expect(resolvePlainScalar('-.Inf').value).toBe(Number.NEGATIVE_INFINITY);
    expect(resolvePlainScalar('.NaN').value).toBeNaN();
  });
});

describe('resolveTaggedScalar', () => {
  it('keeps !!str as a string and resolves !!int by text', () => {
    expect(resolveTaggedScalar('!!str', '0.0', false)).toEqual({ type: 'str', value: '0.0' });
    expect(resolveTaggedScalar('!!int', '42', true)).toEqual({ type: 'int', value: 42 });
    expect(resolveTaggedScalar('!Ref', 'x', true)).toEqual({ type: 'str', value: 'x' });
  });
});

describe('rubyToS', () => {
  it('prints values the way Ruby to_s does', () => {
    expect(rubyToS({ type: 'int', value: 420 })).toBe('420');
    expect(rubyToS({ type: 'float', value: 644 })).toBe('644.0');
    expect(rubyToS({ type: 'null', value: null })).toBe('');
    expect(rubyToS({ type: 'symbol', value: ':a' })).toBe('a');
  });
});

describe('isOctalLooking and describeScalar', () => {
  it('spots leading-zero integers', () => {
    expect(isOctalLooking('0644')).toBe(true);
    expect(isOctalLooking('644')).toBe(false);
    expect(isOctalLooking('0')).toBe(false);
  });

  it('says what the agent sees', () => {
    expect(describeScalar({ type: 'int', value: 420 }, '0644')).toBe('the number 420 (written 0644)');
    expect(describeScalar({ type: 'str', value: '0.0' }, '0.0')).toBe('the string "0.0"');
    expect(describeScalar({ type: 'bool', value: true }, 'yes')).toBe('the boolean true (written yes)');
  });
});
