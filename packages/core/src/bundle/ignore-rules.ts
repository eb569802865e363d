import { relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { InvalidInputError } from '../errors/index.js';
import { readRegularFile } from '../files/index.js';
import { MAX_READ_SIZE } from './read/types.js';

/** Name of the ignore file read from the revision root unless `ignoreFile` says otherwise. */
export const DEFAULT_IGNORE_FILE = '.codedeployignore';

export interface IgnoreRules {
  /** True when PATH (relative, '/'-separated) is left out; directories are tested with their slash. */
  ignores(path: string, isDirectory: boolean): boolean;
  /** The ignore file's path relative to the root when it lies inside it (it is never bundled). */
  ignoreFileEntry: string | undefined;
}

/**
 * Rules from the ignore file (gitignore syntax, read from the root by default; a missing default file
 * means no rules, a missing explicit one is an error) followed by `exclude` patterns, so an exclude
 * can override the file with a negation and vice versa.
 */
export async function loadIgnoreRules(
  root: string,
  options: { exclude?: string[]; ignoreFile?: string | false },
): Promise<IgnoreRules> {
  const matcher: Ignore = ignore();
  let ignoreFileEntry: string | undefined;
  const added: string[] = [];
  if (options.ignoreFile !== false) {
    const explicit = options.ignoreFile !== undefined;
    const file = resolve(root, options.ignoreFile ?? DEFAULT_IGNORE_FILE);
    const text = await readIgnoreFile(file, explicit);
    if (text !== undefined) {
      matcher.add(text);
      added.push(text);
    }
    const rel = relative(root, file);
    if (rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep))
      ignoreFileEntry = rel.split(sep).join('/');
  }
  for (const pattern of options.exclude ?? []) {
    if (pattern.trim() === '') throw new InvalidInputError('An --exclude pattern is empty');
    matcher.add(pattern);
    added.push(pattern);
  }
  let patterns = 0;
  for (const text of added)
    patterns += text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
  return {
    // Without rules, skip the matcher: it caches every path it is asked about.
    ignores:
      patterns === 0 ? () => false : (path, isDirectory) => matcher.ignores(isDirectory ? `${path}/` : path),
    ignoreFileEntry,
  };
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
  return `/${path.replace(/[\\*?[\]!#]/g, '\\$&').replace(/ $/, '\\ ')}`;
}
