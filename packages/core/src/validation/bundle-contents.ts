import type { AppspecProblem } from '../appspec/index.js';
import { type BundleEntryInfo, type BundleReader, escapingSymlinks } from '../bundle/index.js';

/**
 * What is wrong with a bundle's listing itself, whatever its appspec says: entries that would be
 * written outside the deployment folder, names the archive holds twice, and symlinks leading out of
 * the deployment root (ROOT: the entries below the folder the agent strips, keyed without it), which
 * `package` refuses by the same rule. FILE names the bundle in the problems.
 */
export function bundleContentProblems(
  file: string,
  bundle: BundleReader,
  root: ReadonlyMap<string, BundleEntryInfo>,
): AppspecProblem[] {
  const problem = (code: string, path: string, message: string, hint: string): AppspecProblem => ({
    severity: 'error',
    code,
    file,
    line: 1,
    column: 1,
    path,
    message,
    hint,
  });
  const problems = bundle.unsafeEntries.map((name) =>
    problem(
      'bundle-unsafe-entry',
      name,
      `the bundle holds an entry that would be written outside the deployment folder: ${name}`,
      'Rebuild the bundle with `codedeploy-gate package`, which refuses such names.',
    ),
  );
  for (const [path, count] of duplicateNames(bundle.entries)) {
    problems.push(
      problem(
        'bundle-duplicate-entry',
        path,
        `the bundle holds ${count} entries named ${path}: which one an instance gets depends on the tool that unpacks it (unzip and tar keep the last, Windows' ZipFile refuses the bundle)`,
        'Rebuild the bundle so each path appears once (`codedeploy-gate package` writes each entry once).',
      ),
    );
  }
  const links = new Map<string, string>();
  for (const [path, entry] of root) if (entry.type === 'symlink') links.set(path, entry.linkTarget ?? '');
  for (const { path, target, reason } of escapingSymlinks(links)) {
    problems.push(
      problem(
        'bundle-symlink-outside',
        path,
        `the bundle holds a symlink that points outside it: ${path} -> ${target}${reason === 'absolute' ? ' (absolute)' : ''}; \`package\` refuses such a link`,
        'Replace the link with a copy of its target and rebuild the bundle; on the instance it would read or run whatever lies at that path.',
      ),
    );
  }
  return problems;
}

/** Paths listed more than once, unless every listing is a directory (tar repeats those harmlessly). */
function duplicateNames(entries: readonly BundleEntryInfo[]): Map<string, number> {
  const seen = new Map<string, { count: number; files: boolean }>();
  for (const entry of entries) {
    const earlier = seen.get(entry.path);
    seen.set(entry.path, {
      count: (earlier?.count ?? 0) + 1,
      files: (earlier?.files ?? false) || entry.type !== 'directory',
    });
  }
  const duplicates = new Map<string, number>();
  for (const [path, { count, files }] of seen) if (count > 1 && files) duplicates.set(path, count);
  return duplicates;
}
