/** Archive formats CodeDeploy accepts for an S3 revision (`bundleType`). */
export type BundleFormat = 'zip' | 'tar' | 'tgz';

/** The format a bundle file name implies: `.zip`, `.tar`, `.tgz` or `.tar.gz` (case-insensitive). */
export function bundleFormatFromName(fileName: string): BundleFormat | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.zip')) return 'zip';
  if (name.endsWith('.tgz') || name.endsWith('.tar.gz')) return 'tgz';
  if (name.endsWith('.tar')) return 'tar';
  return undefined;
}
