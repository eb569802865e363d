export { type PackagingNotice, packagingNotices } from './notices.js';
export {
  type CheckedRevision,
  checkRevisionFolder,
  type PackageOptions,
  type PackageResult,
  packageRevision,
} from './package-revision.js';
