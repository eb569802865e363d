export { DEFAULT_JOB_TIMINGS, type JobTimings } from './codepipeline/index.js';
export { type FaultRule, FaultSpecError, parseFaultSpec, seededRandom } from './faults/index.js';
export { FLEET_TAG_KEY, type Fleet, type FleetOptions, provisionFleet } from './fleet/index.js';
export { type LocalCodeDeploy, type LocalCodeDeployOptions, startLocalCodeDeploy } from './server/index.js';
export type { CodePipelineState, JobRecord, LocalState } from './state/index.js';
export { Store } from './state/index.js';
export type { DeploymentEngineHandle } from './wire/operation.js';
