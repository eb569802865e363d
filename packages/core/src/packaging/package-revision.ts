import type { ComputePlatform } from '../appspec/index.js';
import {
  type BundleResult,
  type IgnoredPath,
  type RevisionScan,
  type ScanOptions,
  scanRevision,
  type WriteBundleOptions,
  writeBundle,
} from '../bundle/index.js';
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

/**
 * Scans DIR, validates its appspec against exactly the files that will be bundled, and only then
 * writes the bundle: an invalid revision throws {@link RevisionInvalidError} and leaves no file.
 */
export async function packageRevision(
  dir: string,
  outFile: string,
  options: PackageOptions,
): Promise<PackageResult> {
  const scan: RevisionScan = await scanRevision(dir, options);
  const validation = await validateScan(scan, options.platform);
  if (!validation.valid) throw new RevisionInvalidError(validation);
  const bundle = await writeBundle(scan, outFile, options);
  return { bundle, validation, ignored: scan.ignored, notices: packagingNotices(scan) };
}
