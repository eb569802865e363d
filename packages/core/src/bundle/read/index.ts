export { type ExtractBundleOptions, extractBundle } from './extract.js';
export { openBundle } from './open.js';
export { bundleRoot } from './paths.js';
export { type BundleEntryInfo, type BundleReader, MAX_READ_SIZE } from './types.js';
