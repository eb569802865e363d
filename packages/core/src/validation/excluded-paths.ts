import type { RevisionContents } from '../appspec/index.js';
import { DEFAULT_IGNORE_FILE, type IgnoredPath, reincludePattern } from '../bundle/index.js';

/**
 * `RevisionContents.excluded` for a scanned folder: which ignore rule left a path out, found on the
 * path itself or on the folder it lies in (the scan lists an ignored folder once, not its contents).
 */
export function excludedPaths(ignored: readonly IgnoredPath[]): NonNullable<RevisionContents['excluded']> {
  const byPath = new Map(ignored.map((i) => [i.path, i]));
  return (path) => {
    let hit = byPath.get(path);
    for (
      let slash = path.indexOf('/');
      hit === undefined && slash !== -1;
      slash = path.indexOf('/', slash + 1)
    )
      hit = byPath.get(path.slice(0, slash));
    if (hit === undefined) return undefined;
    const { pattern, origin } = hit.rule;
    const folder = hit.path === path ? '' : ` (on its folder ${hit.path}/)`;
    const reinclude = `\`${reincludePattern(hit.path, hit.directory)}\``;
    if (origin === 'default') {
      return {
        because: `the default secret-safe ignore rule \`${pattern}\`${folder}`,
        hint: `Add ${reinclude} to ${DEFAULT_IGNORE_FILE} to include ${folder ? 'that folder' : 'it'} (it is then copied to every instance and kept in S3), or point at another file.`,
      };
    }
    if (origin === 'ignore-file') {
      return {
        because: `the ${DEFAULT_IGNORE_FILE} rule \`${pattern}\`${folder}`,
        hint: `Remove or narrow that rule, or add ${reinclude} below it.`,
      };
    }
    return {
      because: `the exclude pattern \`${pattern}\`${folder}`,
      hint: 'Drop or narrow that exclude pattern, or point at a file that is bundled.',
    };
  };
}
