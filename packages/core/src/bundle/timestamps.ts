import { InvalidInputError } from '../errors/index.js';

/** 1980-01-01T00:00:00Z: the earliest time a zip (MS-DOS) timestamp can hold; also used for tar. */
export const DEFAULT_BUNDLE_MTIME = new Date(Date.UTC(1980, 0, 1));

/**
 * The one timestamp every entry gets: `mtime` when given, else `SOURCE_DATE_EPOCH` (seconds since the
 * epoch, the reproducible-builds convention), else {@link DEFAULT_BUNDLE_MTIME}. File mtimes are never
 * used, so a fresh checkout bundles to the same bytes as an old one.
 */
export function resolveBundleMtime(mtime: Date | undefined, env: NodeJS.ProcessEnv = process.env): Date {
  if (mtime !== undefined) {
    if (Number.isNaN(mtime.getTime())) throw new InvalidInputError('The bundle mtime is not a valid date');
    return mtime;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return DEFAULT_BUNDLE_MTIME;
  if (!/^\d+$/.test(epoch)) {
    throw new InvalidInputError(
      `SOURCE_DATE_EPOCH must be a whole number of seconds, got ${JSON.stringify(epoch)}`,
      {
        hint: 'Set it to e.g. $(git log -1 --format=%ct), or unset it.',
      },
    );
  }
  return new Date(Number(epoch) * 1000);
}

/**
 * MS-DOS date and time fields for a zip header, from the UTC calendar fields of `date` (zip has no time
 * zone; UTC keeps the bytes independent of the machine's zone). Clamped to 1980..2107, the range the
 * fields can hold; seconds are stored in 2-second steps.
 */
export function dosDateTime(date: Date): { date: number; time: number } {
  const year = date.getUTCFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
  };
}
