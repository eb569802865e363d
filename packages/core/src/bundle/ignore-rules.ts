import { relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { InvalidInputError } from '../errors/index.js';
import { readRegularFile } from '../files/index.js';
import { DEFAULT_IGNORE_PATTERNS } from './default-ignores.js';
import { MAX_READ_SIZE } from './read/types.js';

/** Name of the ignore file read from the revision root unless `ignoreFile` says otherwise. */
export const DEFAULT_IGNORE_FILE = '.codedeployignore';

/** Where the rule that left a path out was written. */
export type IgnoreOrigin = 'default' | 'ignore-file' | 'exclude';

/** The rule that leaves a path out of the bundle: the last one to match, as `git check-ignore -v`. */
export interface IgnoreMatch {
  /** The pattern as written (the default list's, an ignore file line, an `exclude` pattern). */
  pattern: string;
  origin: IgnoreOrigin;
}

export interface IgnoreRules {
  /** The rule leaving PATH (relative, '/'-separated) out, or undefined when it is bundled. */
  match(path: string, isDirectory: boolean): IgnoreMatch | undefined;
  /** The ignore file's path relative to the root when it lies inside it (it is never bundled). */
  ignoreFileEntry: string | undefined;
}

/**
 * {@link DEFAULT_IGNORE_PATTERNS}, then the ignore file (gitignore syntax, read from the root by
 * default; a missing default file means no rules, a missing explicit one is an error), then `exclude`
 * patterns: one rule list where the last match wins, so the ignore file re-includes a default with
 * `!PATTERN`, and an exclude can override the file with a negation and vice versa.
 */
export async function loadIgnoreRules(
  root: string,
  options: { exclude?: string[]; ignoreFile?: string | false },
): Promise<IgnoreRules> {
  const matcher: Ignore = ignore();
  matcher.add(DEFAULT_IGNORE_PATTERNS.map((pattern) => ({ pattern, mark: 'default' })));
  let ignoreFileEntry: string | undefined;
  if (options.ignoreFile !== false) {
    const explicit = options.ignoreFile !== undefined;
    const file = resolve(root, options.ignoreFile ?? DEFAULT_IGNORE_FILE);
    const text = await readIgnoreFile(file, explicit);
    if (text !== undefined)
      matcher.add(ignoreFileLines(text).map((pattern) => ({ pattern, mark: 'ignore-file' })));
    const rel = relative(root, file);
    if (rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep))
      ignoreFileEntry = rel.split(sep).join('/');
  }
  for (const pattern of options.exclude ?? []) {
    if (pattern.trim() === '') throw new InvalidInputError('An --exclude pattern is empty');
    matcher.add({ pattern, mark: 'exclude' });
  }
  return {
    // The matcher caches every path it is asked about (a few dozen bytes each, next to the entry the
    // scan keeps anyway); the scan asks once per path and never below an ignored folder.
    match(path, isDirectory) {
      const { rule } = matcher.test(isDirectory ? `${path}/` : path);
      if (rule === undefined) return undefined;
      return { pattern: rule.pattern.trim(), origin: rule.mark as IgnoreOrigin };
    },
    ignoreFileEntry,
  };
}

/**
 * The lines of an ignore file as git reads them: a leading BOM dropped, split at LF with one CR
 * before it dropped. Each line is then one rule (blank lines and comments are no rules).
 */
function ignoreFileLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r?\n/).filter((line) => line !== '');
}

/** The ignore file's text: a regular file, bounded like an appspec; none when the default one is absent. */
async function readIgnoreFile(file: string, explicit: boolean): Promise<string | undefined> {
  try {
    return (await readRegularFile(file, { what: 'the ignore file', maxBytes: MAX_READ_SIZE })).toString(
      'utf8',
    );
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' && !explicit) return undefined;
    throw error;
  }
}

/**
 * A gitignore pattern matching exactly PATH (relative to the root), anchored with a leading slash and
 * with every special character escaped.
 */
export function exactIgnorePattern(path: string): string {
  return `/${escapeIgnorePath(path)}`;
}

/**
 * The `!PATTERN` line that brings back exactly PATH (relative to the root): `!scripts/.env`,
 * `!/.env`, `!/.git/` for a folder. A slash inside anchors a pattern already; a lone name needs one.
 */
export function reincludePattern(path: string, isDirectory: boolean): string {
  return `!${path.includes('/') ? '' : '/'}${escapeIgnorePath(path)}${isDirectory ? '/' : ''}`;
}

function escapeIgnorePath(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, '\\$&').replace(/ $/, '\\ ');
}
