export { type ExtractBundleOptions, extractBundle } from './extract.js';
export { openBundle } from './open.js';
export { bundleRoot } from './paths.js';
export { streamTar } from './tar.js';
export { type BundleEntryInfo, type BundleReader, MAX_READ_SIZE } from './types.js';
export { listZipMembers, openZip, type ZipMember, type ZipSource } from './zip.js';
