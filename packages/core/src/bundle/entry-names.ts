import { BundleError } from '../errors/index.js';

/**
 * Why an entry path could escape the extraction directory or mean different things to different
 * extractors, or undefined when it is safe. Paths are relative, '/'-separated, without '.', '..' or
 * empty segments; backslashes are refused because Windows extractors treat them as separators.
 */
export function unsafeEntryNameReason(path: string): string | undefined {
  if (path === '') return 'the name is empty';
  if (path.includes('\0')) return 'the name contains a NUL byte';
  if (path.includes('\\'))
    return 'the name contains a backslash, which Windows extractors read as a separator';
  if (path.startsWith('/')) return 'the name is absolute';
  if (Buffer.from(path, 'utf8').toString('utf8') !== path) return 'the name is not valid UTF-8';
  for (const segment of path.split('/')) {
    if (segment === '..') return "the name has a '..' segment";
    if (segment === '.' || segment === '') return "the name has an empty or '.' segment";
  }
  return undefined;
}

/** Throws a {@link BundleError} naming the entry when {@link unsafeEntryNameReason} finds a problem. */
export function assertSafeEntryName(path: string): void {
  const reason = unsafeEntryNameReason(path);
  if (reason === undefined) return;
  throw new BundleError(`Refusing to bundle ${JSON.stringify(path)}: ${reason}`, {
    entry: path,
    hint: 'Rename the file or exclude it with --exclude or .codedeployignore.',
  });
}

/**
 * Sorts by the UTF-8 bytes of the path, so the order never depends on the locale, the filesystem or
 * the order files were created in.
 */
export function sortByPathBytes<T extends { path: string }>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: Buffer.from(item.path, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ item }) => item);
}
