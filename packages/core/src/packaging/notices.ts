import type { RevisionScan } from '../bundle/index.js';

/**
 * Something packaging did that the user did not spell out and should hear about, as one line every
 * front end prints as it is (the CLI, the GitHub Action log, the CodePipeline worker log).
 */
export interface PackagingNotice {
  /**
   * `default-ignored`: paths the default secret-safe ignore list left out; `outside-hard-links`: bundled
   * files whose content is shared with a name outside the revision folder.
   */
  code: 'default-ignored' | 'outside-hard-links';
  severity: 'info' | 'warning';
  /** One line, paths shown safely (a name with a line break cannot forge a log line). */
  message: string;
  /** Every path concerned, relative to the revision root (the message shows the first few). */
  paths: string[];
}

/** Paths named in a message; the rest are counted. */
const SHOWN_PATHS = 10;

/** The notices for a scanned revision, in a fixed order; none when there is nothing to say. */
export function packagingNotices(scan: RevisionScan): PackagingNotice[] {
  const notices: PackagingNotice[] = [];
  const skipped = scan.ignored.filter((i) => i.rule.origin === 'default');
  if (skipped.length > 0) {
    const shown = skipped.map((i) => (i.directory ? `${i.path}/` : i.path));
    notices.push({
      code: 'default-ignored',
      severity: 'info',
      message: `skipped ${count(skipped.length, 'path')} by the default secret-safe ignore list (${listed(shown)}); \`!PATTERN\` in .codedeployignore includes one`,
      paths: skipped.map((i) => i.path),
    });
  }
  const linked = scan.outsideHardLinks;
  if (linked.length > 0) {
    notices.push({
      code: 'outside-hard-links',
      severity: 'warning',
      message: `${count(linked.length, 'bundled file')} ${linked.length === 1 ? 'is a hard link' : 'are hard links'} whose other name is outside the revision folder, so the bundle holds that file's content (${listed(linked)}); copy ${linked.length === 1 ? 'it' : 'them'} if that is not meant, or exclude ${linked.length === 1 ? 'it' : 'them'}`,
      paths: [...linked],
    });
  }
  return notices;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listed(paths: readonly string[]): string {
  const names = paths.slice(0, SHOWN_PATHS).map(shownPath).join(', ');
  return paths.length > SHOWN_PATHS ? `${names} and ${paths.length - SHOWN_PATHS} more` : names;
}

/** Spaces, quotes, and characters a log viewer would take as a line break or a control. */
const NEEDS_QUOTES = /[\x00-\x20\x7f-\x9f\u2028\u2029"'`\\]/;

/** A path as it is when it is plain, else JSON-quoted with every control character escaped. */
function shownPath(path: string): string {
  if (!NEEDS_QUOTES.test(path)) return path;
  return JSON.stringify(path).replace(
    /[\x7f-\x9f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
