export {
  applyComputeSeed,
  type ComputeServices,
  createComputeServices,
  type LocalCompute,
  type LocalComputeOptions,
} from './local-compute.js';
export type {
  AliasView,
  ComputeRuntime,
  EcsRuntime,
  LambdaRuntime,
  NewTaskSet,
  ServiceView,
} from './runtime.js';
export {
  ALARM_STATES,
  alarmStateAt,
  type ComputeSeed,
  ComputeSeedError,
  type ComputeSeedResult,
  checkAlarmName,
  validateComputeSeed,
} from './seed.js';
