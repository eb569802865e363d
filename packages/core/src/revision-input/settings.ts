import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../errors/index.js';

/*
 * The Lambda and ECS settings as every front end reads them — command-line flags, GitHub Action
 * inputs, a CodePipeline revision spec — are text (or, from a spec file, already structured). The
 * rules that turn them into a revision source live here once; each front end says only how it names
 * a setting in messages (`--ecs-image`, `input "ecs-images"`, `ecs.images in deploy.yaml`).
 */

/** How a front end names each setting in its messages. */
export type SettingNames<S> = { readonly [K in keyof S]-?: string };

/** The error every setting check throws: the setting's name first, and nothing was created. */
export function settingError(name: string, problem: string, hint: string): InvalidInputError {
  return new InvalidInputError(`${name} ${problem}; nothing was created`, { hint });
}

/** A setting that must be there and not blank. */
export function requiredSetting(name: string, value: string | undefined, hint: string): string {
  const trimmed = value?.trim();
  if (trimmed) return trimmed;
  throw settingError(name, value === undefined ? 'is required here' : 'is empty', hint);
}

/** An existing file, relative to `cwd`; its absolute path. */
export function existingFileSetting(name: string, value: string, cwd: string): string {
  const path = resolve(cwd, value);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw settingError(
      name,
      `names ${value}, which does not exist`,
      `Check the path (relative paths start at ${cwd}).`,
    );
  }
  if (!isFile)
    throw settingError(name, `names ${value}, which is not a file`, `Give ${name} the file itself.`);
  return path;
}

/** One of a few words, case-insensitive; the canonical spelling. */
export function choiceSetting<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const found = choices.find((choice) => choice.toLowerCase() === value.trim().toLowerCase());
  if (found !== undefined) return found;
  throw settingError(name, `is "${value}"`, `Use one of: ${choices.join(', ')}.`);
}

/** `KEY=VALUE` entries, or a ready map; each key once, both sides non-empty. */
export function assignmentsSetting(
  name: string,
  entries: readonly string[] | Readonly<Record<string, string>> | undefined,
  shape: { key: string; value: string; example: string },
): Record<string, string> | undefined {
  if (entries === undefined) return undefined;
  const pairs = Array.isArray(entries)
    ? (entries as readonly string[]).map((entry) => splitPair(entry))
    : Object.entries(entries as Record<string, string>).map(([key, value]) => ({
        key: key.trim(),
        value: String(value ?? '').trim(),
        entry: `${key}=${String(value ?? '')}`,
      }));
  if (pairs.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const { key, value, entry } of pairs) {
    if (key === '' || value === '') {
      throw settingError(
        name,
        `has "${entry}", not ${shape.key}=${shape.value}`,
        `Write it as ${shape.example}.`,
      );
    }
    if (result[key] !== undefined)
      throw settingError(name, `names ${key} twice`, `Give each ${shape.key.toLowerCase()} once.`);
    result[key] = value;
  }
  return result;
}

/** Ids separated by commas, spaces or new lines, or a ready list. */
export function listSetting(
  name: string,
  value: string | readonly string[] | undefined,
): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (typeof value === 'string' ? value.split(/[\s,]+/) : [...value])
    .map((item) => String(item).trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    throw settingError(name, 'names nothing', 'Give ids separated by commas, e.g. subnet-0a1b,subnet-2c3d.');
  }
  return items;
}

/** A whole number in a range (from text or a number). */
export function wholeNumberSetting(
  name: string,
  value: string | number | undefined,
  range: { min: number; max: number; what: string; example: string },
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= range.min && n <= range.max) return n;
  throw settingError(
    name,
    `must be ${range.what} from ${range.min} to ${range.max}, not "${value}"`,
    `Give ${range.example}.`,
  );
}

/** `KEY=VALUE` split at the first `=` (an image or an ARN may hold more), both sides trimmed. */
function splitPair(entry: string): { key: string; value: string; entry: string } {
  const at = entry.indexOf('=');
  if (at < 0) return { key: entry.trim(), value: '', entry };
  return { key: entry.slice(0, at).trim(), value: entry.slice(at + 1).trim(), entry };
}
