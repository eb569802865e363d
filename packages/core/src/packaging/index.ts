export { type PackagingNotice, packagingNotices } from './notices.js';
export { type PackageOptions, type PackageResult, packageRevision } from './package-revision.js';
