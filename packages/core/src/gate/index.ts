export {
  getDeployment,
  listTargets,
  TERMINAL_STATUSES,
  type WaitOptions,
  waitForDeployment,
} from './wait-for-deployment.js';
