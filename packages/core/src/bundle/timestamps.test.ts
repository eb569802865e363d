import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { DEFAULT_BUNDLE_MTIME, dosDateTime, resolveBundleMtime } from './timestamps.js';

describe('resolveBundleMtime', () => {
  it('defaults to the DOS epoch, 1980-01-01T00:00:00Z', () => {
    expect(resolveBundleMtime(undefined, {}).toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(DEFAULT_BUNDLE_MTIME.getTime()).toBe(315532800000);
  });

  it('honours SOURCE_DATE_EPOCH, and an explicit mtime over it', () => {
    expect(resolveBundleMtime(undefined, { SOURCE_DATE_EPOCH: '1700000000' }).getTime()).toBe(1700000000000);
    const explicit = new Date('2020-02-02T00:00:00Z');
    expect(resolveBundleMtime(explicit, { SOURCE_DATE_EPOCH: '1700000000' })).toBe(explicit);
  });

  it('rejects a SOURCE_DATE_EPOCH that is not a whole number', () => {
    expect(() => resolveBundleMtime(undefined, { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(
      InvalidInputError,
    );
  });
});

describe('dosDateTime', () => {
  it('encodes UTC calendar fields in 2-second steps', () => {
    const { date, time } = dosDateTime(new Date('2024-03-05T06:07:09Z'));
    expect(date).toBe(((2024 - 1980) << 9) | (3 << 5) | 5);
    expect(time).toBe((6 << 11) | (7 << 5) | 4);
  });

  it('clamps dates before 1980 to the DOS epoch', () => {
    expect(dosDateTime(new Date(0))).toEqual({ date: 0x21, time: 0 });
  });
});
