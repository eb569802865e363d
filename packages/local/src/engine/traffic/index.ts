export { type AppSpecReading, readTrafficAppSpec, type TrafficAppSpec } from './appspec.js';
export { ContinueWaits } from './blue-green-waits.js';
export { HookExecutions, type HookStatus } from './hook-executions.js';
export {
  deploymentTargetOf,
  isTrafficDeployment,
  type NewTrafficDeployment,
  newTrafficDeploymentRecord,
  sha256Of,
  trafficOf,
  trafficTargetOf,
} from './records.js';
export { failInterruptedTarget } from './recovery.js';
export { newTrafficRollback } from './rollback.js';
export { runTrafficDeployment, SERVER_CLOSING, type TrafficOutcome } from './traffic-deployment.js';
