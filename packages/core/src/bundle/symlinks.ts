import { posix } from 'node:path';

/**
 * Where a symlink at LINKPATH with TARGET leads, relative to the revision root, following any in-tree
 * links along the way (as the extracting system would), or undefined when it leaves the root. LINKS
 * maps every bundled symlink to its target. A plain lexical check is not enough: with `up -> a/b` and
 * `x -> up/../../..` the text stays inside while the real path does not.
 */
export function resolveInTree(
  linkPath: string,
  target: string,
  links: ReadonlyMap<string, string>,
): string | undefined {
  if (target.startsWith('/')) return undefined;
  const stack = posix.dirname(linkPath) === '.' ? [] : posix.dirname(linkPath).split('/');
  const pending = target.split('/');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    stack.push(part);
    const next = links.get(stack.join('/'));
    if (next === undefined) continue;
    // A loop never resolves to anything on the target host either, so it cannot leak outside.
    if (++hops > 40) return stack.join('/');
    if (next.startsWith('/')) return undefined;
    stack.pop();
    pending.unshift(...next.split('/'));
  }
  return stack.join('/');
}

/** A symlink that would point outside the revision once extracted. */
export interface EscapingSymlink {
  path: string;
  target: string;
  /** Why: `absolute` targets leave any root; `climbs-out` ones leave it through '..' or other links. */
  reason: 'absolute' | 'climbs-out';
}

/**
 * The symlinks among LINKS (path relative to the root -> target as stored) that lead outside the root,
 * in LINKS' order: the one rule packaging (which refuses the first) and validation of a zip or tar
 * (which reports each) share, so `validate` refuses what `package` refuses.
 */
export function escapingSymlinks(links: ReadonlyMap<string, string>): EscapingSymlink[] {
  const escaping: EscapingSymlink[] = [];
  for (const [path, target] of links) {
    if (target.startsWith('/')) escaping.push({ path, target, reason: 'absolute' });
    else if (resolveInTree(path, target, links) === undefined)
      escaping.push({ path, target, reason: 'climbs-out' });
  }
  return escaping;
}
