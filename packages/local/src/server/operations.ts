import { applicationOperations } from '../applications/index.js';
import { deploymentConfigOperations } from '../deployment-configs/index.js';
import { deploymentGroupOperations } from '../deployment-groups/index.js';
import { deploymentOperations } from '../deployments/index.js';
import { gitHubTokenOperations } from '../github-tokens/index.js';
import { instanceOperations } from '../instances/index.js';
import { revisionOperations } from '../revisions/index.js';
import { tagOperations } from '../tags/index.js';
import type { OperationTable } from '../wire/operation.js';

/** Every CodeDeploy operation the local server answers. */
export function codeDeployOperations(): OperationTable {
  return {
    ...applicationOperations,
    ...deploymentConfigOperations,
    ...deploymentGroupOperations,
    ...instanceOperations,
    ...revisionOperations,
    ...tagOperations,
    ...deploymentOperations,
    ...gitHubTokenOperations,
  };
}
