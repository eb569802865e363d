import type { BundleEntryInfo } from './types.js';

/**
 * Normalizes an archive member name: drops leading './', repeated and trailing slashes and '.'
 * segments. '..' segments and a leading '/' are kept so that an unsafe name never looks like a safe
 * one. The archive's own root ('.', './') becomes ''.
 */
export function normalizeEntryName(raw: string): string {
  const absolute = raw.startsWith('/');
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  return (absolute ? '/' : '') + segments.join('/');
}

/** Why extracting an entry with this raw name is unsafe, or undefined when it is not. */
export function unsafeNameReason(raw: string): string | undefined {
  if (raw.includes('\0')) return 'contains a NUL byte';
  if (raw.includes('\\')) return 'contains a backslash';
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return 'is absolute';
  if (raw.split('/').includes('..')) return "contains a '..' segment";
  return undefined;
}

/**
 * Collects unsafe names while entries are listed. Besides the name checks it flags entries that sit
 * below an earlier symlink entry (extracting them writes through the link, possibly outside the
 * destination) and hard links whose target name is itself unsafe.
 */
export class UnsafeEntryCollector {
  readonly names: string[] = [];
  private readonly symlinks = new Set<string>();

  /** Call once per entry, in archive order; returns true when `raw` was recorded as unsafe. */
  check(raw: string, entry: BundleEntryInfo | undefined, hardLinkTarget?: string): boolean {
    const unsafe =
      unsafeNameReason(raw) !== undefined ||
      (hardLinkTarget !== undefined && unsafeNameReason(hardLinkTarget) !== undefined) ||
      (entry !== undefined && this.isBelowSymlink(entry.path));
    if (unsafe) this.names.push(raw);
    if (entry?.type === 'symlink') this.symlinks.add(entry.path);
    return unsafe;
  }

  /** Records a name that is unsafe for a reason only the caller knows (device, FIFO). */
  add(raw: string): void {
    this.names.push(raw);
  }

  private isBelowSymlink(path: string): boolean {
    if (this.symlinks.size === 0) return false;
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      if (this.symlinks.has(path.slice(0, slash))) return true;
    }
    return false;
  }
}

const APPSPEC_NAME = /appspec/i;

/**
 * The agent strips a single top-level directory when it holds the appspec (reference C.5): after
 * unpacking, if the archive root holds exactly one name, that name is a directory, and any of that
 * directory's own children matches /appspec/i, the directory becomes the deployment root. Returns that
 * directory's name, or '' when the bundle is used as is.
 */
export function bundleRoot(entries: BundleEntryInfo[]): string {
  const topLevel = new Set<string>();
  let childMatches = false;
  let topIsDirectory = false;
  for (const entry of entries) {
    if (entry.path === '') continue;
    const [top, child] = entry.path.split('/', 2);
    if (top === undefined) continue;
    topLevel.add(top);
    if (topLevel.size > 1) return '';
    // A directory is known either from its own entry or from a child listed below it.
    if (child !== undefined || entry.type === 'directory') topIsDirectory = true;
    if (child !== undefined && APPSPEC_NAME.test(child)) childMatches = true;
  }
  const [top] = topLevel;
  return top !== undefined && topIsDirectory && childMatches ? top : '';
}
