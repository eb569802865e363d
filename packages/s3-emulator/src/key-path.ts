/**
 * How an object key becomes file names under its bucket's folder.
 *
 * s3rver 3.7 keeps each `/`-separated part of a key but the last as a folder and the last as a file
 * name with its suffix (`app/v1.zip` is `app/v1.zip._S3rver_object`). It joined the parts as they
 * came, so `..` parts climbed out of the bucket. Here every part is one ordinary name: the parts a
 * file system reads as something else are escaped with `%XX`, and every other key is stored exactly
 * as s3rver stored it, so state dirs written before stay readable. The mapping is one-to-one, so
 * listing decodes file names back to the very keys that were put.
 *
 * Escaped in every part: `%` (the escape itself), `\` (a separator elsewhere), control characters,
 * and the `._S3rver_` marker of s3rver's suffixes (so no key lands on another key's files or on the
 * bucket's `._S3rver_uploads`). Escaped in folder parts: `.`, `..` and the empty part (`a//b`, a
 * leading `/`), which paths would otherwise collapse; an empty folder part is written `%`. The last
 * part always carries a suffix, so `.`, `..` and empty are plain names there (`dir/` is
 * `dir/._S3rver_object`, as before).
 */

/** s3rver's suffix marker: `NAME._S3rver_RESOURCE`. */
export const SUFFIX_MARK = '._S3rver_';
/** The longest suffix s3rver writes after a name (`._S3rver_metadata.json`). */
const LONGEST_SUFFIX = `${SUFFIX_MARK}metadata.json`;
/** A name the file system accepts (255 bytes), leaving room for the longest suffix. */
export const MAX_PART_BYTES = 255 - LONGEST_SUFFIX.length;
/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const EMPTY_FOLDER = '%';
const ESCAPED = /[%\\\u0000-\u001f\u007f]/g;

export interface KeyPath {
  /** Folder names under the bucket's folder, outermost first. */
  folders: string[];
  /** File name before the suffix. */
  name: string;
}

/** The folder and file names that store `key`. */
export function encodeKey(key: string): KeyPath {
  const parts = key.split('/');
  const last = parts.pop() ?? '';
  return { folders: parts.map(encodeFolder), name: escapePart(last) };
}

/** The key stored under these (encoded) folder and file names. */
export function decodeKey(folders: readonly string[], name: string): string {
  return [...folders.map(decodeFolder), unescapePart(name)].join('/');
}

/** The key prefix a folder path stands for (`a/b/`), to prune listings. */
export function decodeFolders(folders: readonly string[]): string {
  return folders.map((folder) => `${decodeFolder(folder)}/`).join('');
}

function encodeFolder(part: string): string {
  if (part === '') return EMPTY_FOLDER;
  if (part === '.' || part === '..') return part.replaceAll('.', '%2E');
  return escapePart(part);
}

function decodeFolder(folder: string): string {
  return folder === EMPTY_FOLDER ? '' : unescapePart(folder);
}

function escapePart(part: string): string {
  return part
    .replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .replaceAll(SUFFIX_MARK, `%2E${SUFFIX_MARK.slice(1)}`);
}

function unescapePart(part: string): string {
  return part.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
