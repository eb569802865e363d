import type { OperationTable } from '../wire/operation.js';
import {
  batchGetDeploymentGroups,
  createDeploymentGroup,
  deleteDeploymentGroup,
  getDeploymentGroup,
  listDeploymentGroups,
  updateDeploymentGroup,
} from './operations.js';

export { requireDeploymentGroup } from './operations.js';

/** CodeDeploy's deployment group operations (EC2/on-premises in-place groups run locally). */
export const deploymentGroupOperations: OperationTable = {
  CreateDeploymentGroup: createDeploymentGroup,
  GetDeploymentGroup: getDeploymentGroup,
  BatchGetDeploymentGroups: batchGetDeploymentGroups,
  ListDeploymentGroups: listDeploymentGroups,
  UpdateDeploymentGroup: updateDeploymentGroup,
  DeleteDeploymentGroup: deleteDeploymentGroup,
};
