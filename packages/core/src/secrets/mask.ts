import { secretForms } from './environment.js';
import { patternRanges } from './patterns.js';
import { privateKeyRanges } from './private-key.js';
import type { Range } from './range.js';

/** What a secret is replaced with. */
export const MASK = '***';

export interface MaskResult {
  /** The text with each secret replaced by `***`. */
  text: string;
  /** How many values were masked (overlapping finds count once). */
  count: number;
  /** The values masked, each once: for a host that masks them in its own log too (GitHub's add-mask). */
  found: string[];
}

/** Masks one text; made once per environment by `secretMasker`. */
export type SecretMasker = (text: string) => MaskResult;

/**
 * A masker for the secrets of `env` (see `secretForms`) and every credential recognised by its shape
 * (see `SECRET_PATTERNS`, `privateKeyRanges`). Pure: the environment is read once, here. Its cost is
 * linear in the text (one pass per pattern and per secret form).
 */
export function secretMasker(env: Readonly<Record<string, string | undefined>> = {}): SecretMasker {
  const forms = secretForms(env);
  return (text) => {
    if (text === '') return { text, count: 0, found: [] };
    return apply(text, [...privateKeyRanges(text), ...formRanges(text, forms), ...patternRanges(text)]);
  };
}

/** `secretMasker(env)(text)`, for a single text. */
export function maskSecrets(
  text: string,
  env: Readonly<Record<string, string | undefined>> = {},
): MaskResult {
  return secretMasker(env)(text);
}

function formRanges(text: string, forms: readonly string[]): Range[] {
  const ranges: Range[] = [];
  for (const form of forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) {
      ranges.push([at, at + form.length]);
    }
  }
  return ranges;
}

/**
 * Replaces the ranges, merged where they overlap (a token inside an Authorization header is one
 * value). A range that is already `***` (a log masked before) is not a new find.
 */
function apply(text: string, ranges: Range[]): MaskResult {
  const kept = ranges
    .filter(([start, end]) => end > start && !/^\**$/.test(text.slice(start, end)))
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  if (kept.length === 0) return { text, count: 0, found: [] };
  const merged: Range[] = [];
  for (const range of kept) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  const parts: string[] = [];
  const found = new Set<string>();
  let cursor = 0;
  for (const [start, end] of merged) {
    parts.push(text.slice(cursor, start), MASK);
    found.add(text.slice(start, end));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), count: merged.length, found: [...found] };
}
