import type { OperationTable } from '../wire/operation.js';
import {
  createDeploymentConfig,
  deleteDeploymentConfig,
  getDeploymentConfig,
  listDeploymentConfigs,
} from './operations.js';

export { BUILT_IN_CONFIGS } from './built-ins.js';
export { findDeploymentConfig, requireDeploymentConfig } from './operations.js';

/** CodeDeploy's deployment configuration operations, with the `CodeDeployDefault.*` built-ins. */
export const deploymentConfigOperations: OperationTable = {
  CreateDeploymentConfig: createDeploymentConfig,
  GetDeploymentConfig: getDeploymentConfig,
  ListDeploymentConfigs: listDeploymentConfigs,
  DeleteDeploymentConfig: deleteDeploymentConfig,
};
