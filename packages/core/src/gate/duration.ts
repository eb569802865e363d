import { InvalidInputError } from '../errors/index.js';

/**
 * `90s`, `45m`, `2h`, `1h30m`, `500ms`; a bare number is in `bareUnit` (minutes for --timeout, as in
 * timeout-minutes; seconds for poll intervals).
 */
export function parseDuration(flag: string, text: string, bareUnit: 's' | 'm'): number {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return positive(flag, text, Number(trimmed) * (units[bareUnit] ?? 1));
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new InvalidInputError(`${flag} "${text}" is not a duration`, {
      hint: `Write it like 90s, 30m, 2h or 1h30m (a bare number is ${bareUnit === 'm' ? 'minutes' : 'seconds'}).`,
    });
  }
  return positive(
    flag,
    text,
    parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] ?? 's'] ?? 0), 0),
  );
}

function positive(flag: string, text: string, ms: number): number {
  if (ms > 0) return Math.round(ms);
  throw new InvalidInputError(`${flag} "${text}" must be longer than zero`, { hint: 'For example 30m.' });
}
