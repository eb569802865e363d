import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeProblem } from './permissions.js';

/**
 * rangeProblem as it was first written, listing every category of every part before looking for
 * repeats. Kept here, and only here, as the reference the marking version must agree with.
 */
function listingRangeProblem(range: string): string | undefined {
  const splitOnce = (text: string, separator: string): [string, string | undefined] => {
    const at = text.indexOf(separator);
    return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
  };
  const sensitivity = (text: string) =>
    /^s\d+$/.test(text) ? Number.parseInt(text.slice(1), 10) : undefined;
  const category = (text: string) => {
    if (!/^c\d+$/.test(text)) return undefined;
    const level = Number.parseInt(text.slice(1), 10);
    return level > 1023 ? undefined : level;
  };
  const [levels = '', categories] = splitOnce(range, ':');
  if (levels === '' || categories === '') return 'an empty part';
  const [low = '', high] = splitOnce(levels, '-');
  const lowLevel = sensitivity(low);
  if (lowLevel === undefined || high === '') return `invalid sensitivity ${JSON.stringify(low)}`;
  if (high !== undefined) {
    const highLevel = sensitivity(high);
    if (highLevel === undefined) return `invalid sensitivity ${JSON.stringify(high)}`;
    if (highLevel < lowLevel) return 'the high sensitivity is below the low one';
  }
  if (categories === undefined) return undefined;
  const numbers: number[] = [];
  for (const part of categories.split(',')) {
    const [from = '', to] = splitOnce(part, '.');
    const start = category(from);
    if (start === undefined || to === '') return `invalid category ${JSON.stringify(part)}`;
    const end = to === undefined ? start : category(to);
    if (end === undefined) return `invalid category ${JSON.stringify(to)}`;
    if (end < start) return `invalid category range ${JSON.stringify(part)}`;
    for (let n = start; n <= end; n++) numbers.push(n);
  }
  return new Set(numbers).size === numbers.length ? undefined : 'duplicate categories';
}

describe('rangeProblem agrees with the listing rule it replaces', () => {
  it('gives the same answer for any range', () => {
    const categoryName = fc.oneof(
      fc.integer({ min: 0, max: 1030 }).map((n) => `c${n}`),
      fc.constantFrom('c', 'x1', '', 'c01', 'c1023'),
    );
    const part = fc.oneof(
      categoryName,
      fc.tuple(categoryName, categoryName).map(([a, b]) => `${a}.${b}`),
      fc.tuple(categoryName, fc.constant('')).map(([a]) => `${a}.`),
    );
    const range = fc
      .tuple(
        fc.constantFrom('s0', 's1', 's0-s2', 's2-s1', 'x', '', 's0-'),
        fc.option(fc.array(part, { maxLength: 8 }), { nil: undefined }),
      )
      .map(([levels, parts]) => (parts === undefined ? levels : `${levels}:${parts.join(',')}`));
    fc.assert(
      fc.property(range, (text) => {
        expect(rangeProblem(text)).toBe(listingRangeProblem(text));
      }),
      { numRuns: 3000 },
    );
  });
});
