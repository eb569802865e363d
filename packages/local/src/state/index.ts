export type {
  AlarmState,
  EcsClusterRecord,
  EcsState,
  LambdaFunctionRecord,
  LambdaState,
  LambdaVersionRecord,
  LocalFunctionRunner,
} from './compute-records.js';
export { entryOf, type NameTable, nameTable, nameTableFrom } from './name-table.js';
export type {
  ActionExecutionRecord,
  ActionTypeRecord,
  ArtifactRecord,
  CodePipelineState,
  JobRecord,
  PipelineExecutionRecord,
  PipelineRecord,
} from './pipeline-records.js';
export type { DeploymentRecord, InstanceHistory, LocalState, RevisionRecord } from './records.js';
export { emptyState } from './records.js';
export { reviveState } from './revive.js';
export { Store } from './store.js';
