export type { DeploymentRecord, InstanceHistory, LocalState, RevisionRecord } from './records.js';
export { emptyState } from './records.js';
export { Store } from './store.js';
