export { BUILT_IN_SERVER_CONFIGS, DEFAULT_DEPLOYMENT_CONFIG, minimumHealthyHostsOf } from './configs.js';
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
