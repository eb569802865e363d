export { type PushOptions, type PushProgress, type PushResult, pushRevision } from './push-revision.js';
