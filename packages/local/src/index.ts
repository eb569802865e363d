export { DEFAULT_JOB_TIMINGS, type JobTimings } from './codepipeline/index.js';
export {
  type ComputeRuntime,
  type ComputeSeed,
  ComputeSeedError,
  type ComputeSeedResult,
  type LocalCompute,
} from './compute/index.js';
export type { EcsClusterSeed, EcsServiceSeed, SeededService, TaskDefinitionSeed } from './ecs/index.js';
export { type FaultRule, FaultSpecError, parseFaultSpec, seededRandom } from './faults/index.js';
export { FLEET_TAG_KEY, type Fleet, type FleetOptions, provisionFleet } from './fleet/index.js';
export type { AliasSeed, FunctionSeed, SeededFunction, VersionSeed } from './lambda/index.js';
export {
  checkPassThroughName,
  type EnvFileEntry,
  HookEnvironmentError,
  parseEnvFile,
  RUN_MARKER_VARIABLE,
} from './processes/index.js';
export { type LocalCodeDeploy, type LocalCodeDeployOptions, startLocalCodeDeploy } from './server/index.js';
export type {
  AlarmState,
  CodePipelineState,
  JobRecord,
  LocalFunctionRunner,
  LocalState,
} from './state/index.js';
export { Store } from './state/index.js';
export type { DeploymentEngineHandle } from './wire/operation.js';
