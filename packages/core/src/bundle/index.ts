export {
  ContentHashCache,
  defaultContentCacheDir,
  NO_CACHE_VARIABLE,
  SETTLE_MS,
} from './content-cache.js';
export { DEFAULT_IGNORE_PATTERNS } from './default-ignores.js';
export {
  BUNDLE_LAYOUT_VERSION,
  bundleFingerprint,
  type ContentHashes,
  type FingerprintSettings,
  filesChangedSinceScan,
  fingerprintSettings,
  type HashOptions,
  hashContents,
} from './fingerprint.js';
export { type BundleFormat, bundleFormatFromName } from './format.js';
export {
  DEFAULT_IGNORE_FILE,
  type IgnoreMatch,
  type IgnoreOrigin,
  reincludePattern,
} from './ignore-rules.js';
export type { BundleProgress } from './progress.js';
export * from './read/index.js';
export {
  type IgnoredPath,
  type RevisionEntry,
  type RevisionScan,
  type ScanOptions,
  scanRevision,
} from './scan.js';
export { type EscapingSymlink, escapingSymlinks } from './symlinks.js';
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
