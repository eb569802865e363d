export { formatDuration } from '../report/format.js';
export { type CancelDeadlines, cancelDeadlines, DEFAULT_CANCEL_BUDGET_MS } from './cancel-budget.js';
export {
  countersText,
  type DeploymentChange,
  DeploymentChangeLog,
  type DeploymentRole,
} from './changes.js';
export { type Clock, realClock } from './clock.js';
export {
  activeDeploymentIn,
  type CreateOnceOptions,
  type CreateOnceResult,
  createDeploymentOnce,
  DESCRIPTION_LIMIT,
  markedDescription,
  markerFor,
} from './create.js';
export {
  AUTO_ROLLBACK_EVENTS,
  type AutoRollbackChoice,
  autoRollbackOf,
  type DeployEvent,
  type DeployOptions,
  type DeployResult,
  defaultStopPolicy,
  deployAndGate,
} from './deploy.js';
export { parseDuration } from './duration.js';
export { DeploymentGroupBusyError } from './errors.js';
export {
  DEFAULT_TIMEOUT_MS,
  type GateEvent,
  type GateOptions,
  type GateResult,
  gateDeployment,
  type RevisionDetails,
  type StopPolicy,
  summarize,
} from './gate.js';
export { type DeploymentLook, type LookOptions, lookAtDeployment } from './look.js';
export {
  DEFAULT_PACING,
  errorBackoffDelay,
  nextPollDelay,
  type PacingInput,
  type PacingSettings,
  type PredictedEnd,
  predictEnd,
} from './pacing.js';
export {
  getDeployment,
  getTargets,
  lifecycleEventsOf,
  listTargetIds,
  listTargets,
  type ReadOptions,
  TERMINAL_STATUSES,
  TERMINAL_TARGET_STATUSES,
  targetIdOf,
  targetStatusOf,
} from './reads.js';
export { isRetryableAwsError, isThrottlingError } from './retryable.js';
export {
  type BuildProgress,
  bundleTypeOfKey,
  type EcsRevisionSource,
  type HookFunctions,
  type LambdaRevisionSource,
  type RevisionSource,
} from './revision-source.js';
export { type StopResult, stopDeployment } from './stop.js';
export { PREDEFINED_TRAFFIC_ROUTING, TrafficRoutingLookup } from './traffic-routing.js';
export { type RoutingShift, routingShifts } from './traffic-shifts.js';
export {
  runVerification,
  type VerificationOptions,
  type VerificationResult,
  type VerificationRunner,
} from './verification.js';
export { CONTINUE_MEANING, continueDeployment, WAIT_MEANING, waitTypeOf } from './waits.js';
export {
  type DeploymentSnapshot,
  newWatchStats,
  type WatchOptions,
  type WatchOutcome,
  watchDeployment,
} from './watch.js';
