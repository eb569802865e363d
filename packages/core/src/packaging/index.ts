export { type PackageOptions, type PackageResult, packageRevision } from './package-revision.js';
