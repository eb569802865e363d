import type { ComputePlatform } from '../appspec/index.js';
import {
  type BundleResult,
  type RevisionScan,
  type ScanOptions,
  scanRevision,
  type WriteBundleOptions,
  writeBundle,
} from '../bundle/index.js';
import { RevisionInvalidError, type RevisionValidation, validateScan } from '../validation/index.js';

export interface PackageOptions extends ScanOptions, WriteBundleOptions {
  platform?: ComputePlatform;
}

export interface PackageResult {
  bundle: BundleResult;
  validation: RevisionValidation;
  /** Paths left out by `.codedeployignore` and `exclude`, relative to the revision root. */
  ignored: string[];
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
  return { bundle, validation, ignored: scan.ignored };
}
