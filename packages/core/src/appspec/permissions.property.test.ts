import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeProblem } from './permissions.js';

/**
 * The categories part of rangeProblem as it was first written, listing every category of every part
 * before looking for repeats. Kept here, and only here, as the reference the marking version must
 * agree with (the sensitivity part did not change).
 */
function listingCategoriesProblem(categories: string): string | undefined {
  const numbers: number[] = [];
  for (const part of categories.split(',')) {
    const dot = part.indexOf('.');
    const [from, to] = dot < 0 ? [part, undefined] : [part.slice(0, dot), part.slice(dot + 1)];
    const start = /^c\d+$/.test(from) && Number(from.slice(1)) <= 1023 ? Number(from.slice(1)) : undefined;
    if (start === undefined || to === '') return `invalid category ${JSON.stringify(part)}`;
    const end =
      to === undefined
        ? start
        : /^c\d+$/.test(to) && Number(to.slice(1)) <= 1023
          ? Number(to.slice(1))
          : undefined;
    if (end === undefined) return `invalid category ${JSON.stringify(to)}`;
    if (end < start) return `invalid category range ${JSON.stringify(part)}`;
    for (let n = start; n <= end; n++) numbers.push(n);
  }
  return new Set(numbers).size === numbers.length ? undefined : 'duplicate categories';
}

describe('rangeProblem agrees with the listing rule it replaces', () => {
  it('gives the same answer for any list of categories', () => {
    const categoryName = fc.oneof(
      fc.integer({ min: 0, max: 1030 }).map((n) => `c${n}`),
      fc.constantFrom('c', 'x1', '', 'c01', 'c1023'),
    );
    const part = fc.oneof(
      categoryName,
      fc.tuple(categoryName, categoryName).map(([a, b]) => `${a}.${b}`),
      categoryName.map((a) => `${a}.`),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), (parts) => {
        const categories = parts.join(',');
        fc.pre(categories !== '');
        expect(rangeProblem(`s0-s2:${categories}`)).toBe(listingCategoriesProblem(categories));
      }),
      { numRuns: 3000 },
    );
  });
});
