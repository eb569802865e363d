export { type BundleFormat, bundleFormatFromName } from './format.js';
export type { BundleProgress } from './progress.js';
export * from './read/index.js';
export { type RevisionEntry, type RevisionScan, type ScanOptions, scanRevision } from './scan.js';
export { DEFAULT_BUNDLE_MTIME } from './timestamps.js';
export {
  assertOutsideRevision,
  type BundleResult,
  createBundle,
  DEFAULT_LEVEL,
  SINGLE_THREAD_ABOVE_BYTES,
  type WriteBundleOptions,
  writeBundle,
} from './write-bundle.js';
