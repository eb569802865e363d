import type { ComputePlatform } from '../appspec/index.js';
import {
  assertOutsideRevision,
  type BundleResult,
  type IgnoredPath,
  type RevisionScan,
  type ScanOptions,
  scanRevision,
  type WriteBundleOptions,
  writeBundle,
} from '../bundle/index.js';
import { checkOutputPath } from '../files/index.js';
import { RevisionInvalidError, type RevisionValidation, validateScan } from '../validation/index.js';
import { type PackagingNotice, packagingNotices } from './notices.js';

export interface PackageOptions extends ScanOptions, WriteBundleOptions {
  platform?: ComputePlatform;
}

export interface PackageResult {
  bundle: BundleResult;
  validation: RevisionValidation;
  /** Paths left out by the default ignore list, `.codedeployignore` and `exclude`, with their rule. */
  ignored: IgnoredPath[];
  /** What every front end prints: paths the default secret-safe list skipped, outside hard links. */
  notices: PackagingNotice[];
}

/** A revision folder scanned and its appspec validated against exactly what its bundle will hold. */
export interface CheckedRevision {
  scan: RevisionScan;
  validation: RevisionValidation;
}

/**
 * Scans DIR and validates its appspec against the files that will be bundled: the local half of
 * packaging, which needs no output and no AWS. An invalid revision throws {@link RevisionInvalidError}.
 */
export async function checkRevisionFolder(
  dir: string,
  options: ScanOptions & { platform?: ComputePlatform | undefined },
): Promise<CheckedRevision> {
  const scan = await scanRevision(dir, options);
  const validation = await validateScan(scan, options.platform);
  if (!validation.valid) throw new RevisionInvalidError(validation);
  return { scan, validation };
}

/**
 * Checks OUTFILE (a regular file or nothing, outside DIR unless ignored), scans DIR, validates its
 * appspec against exactly the files that will be bundled, and only then writes the bundle: an
 * unusable output or an invalid revision throws before anything is written and leaves no file.
 */
export async function packageRevision(
  dir: string,
  outFile: string,
  options: PackageOptions,
): Promise<PackageResult> {
  const target = await checkOutputPath(outFile, { what: 'the bundle' });
  await assertOutsideRevision(dir, target.path, options);
  const { scan, validation } = await checkRevisionFolder(dir, options);
  const bundle = await writeBundle(scan, outFile, options);
  return { bundle, validation, ignored: scan.ignored, notices: packagingNotices(scan) };
}
