export { activeAlarms, alarmActiveMessage, alarmsToWatch } from './alarms.js';
export {
  BUILT_IN_SERVER_CONFIGS,
  BUILT_IN_TRAFFIC_CONFIGS,
  DEFAULT_DEPLOYMENT_CONFIG,
  minimumHealthyHostsOf,
  type TrafficConfig,
  trafficConfigOf,
} from './configs.js';
export { eligibleInstances, groupSelectsInstance, tagFilterMatches } from './eligibility.js';
export { createDeploymentEngine, type DeploymentEngineOptions } from './engine.js';
export { IN_PLACE_EVENTS } from './lifecycle.js';
export { MESSAGES } from './messages.js';
export {
  ACTIVE_STATUSES,
  activeDeploymentOf,
  groupKey,
  isActive,
  type NewDeployment,
  newDeploymentId,
  newDeploymentRecord,
  sameRevision,
} from './records.js';
export {
  type AppSpecReading,
  deploymentTargetOf,
  isTrafficDeployment,
  type NewTrafficDeployment,
  newTrafficDeploymentRecord,
  readTrafficAppSpec,
  sha256Of,
  type TrafficAppSpec,
  trafficOf,
} from './traffic/index.js';
