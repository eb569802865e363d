import type { OperationTable } from '../wire/operation.js';
import { continueDeployment, stopDeployment } from './control.js';
import { createDeployment } from './create.js';
import { putLifecycleEventHookExecutionStatus } from './hook-status.js';
import { batchGetDeployments, getDeployment, listDeployments } from './read.js';
import {
  batchGetDeploymentInstances,
  batchGetDeploymentTargets,
  getDeploymentInstance,
  getDeploymentTarget,
  listDeploymentInstances,
  listDeploymentTargets,
} from './targets.js';

export { recordRevisionUse, revisionKey } from './revision-usage.js';

/** CodeDeploy's deployment, target and (deprecated) deployment-instance operations. */
export const deploymentOperations: OperationTable = {
  CreateDeployment: createDeployment,
  GetDeployment: getDeployment,
  BatchGetDeployments: batchGetDeployments,
  ListDeployments: listDeployments,
  StopDeployment: stopDeployment,
  ContinueDeployment: continueDeployment,
  PutLifecycleEventHookExecutionStatus: putLifecycleEventHookExecutionStatus,
  ListDeploymentTargets: listDeploymentTargets,
  BatchGetDeploymentTargets: batchGetDeploymentTargets,
  GetDeploymentTarget: getDeploymentTarget,
  ListDeploymentInstances: listDeploymentInstances,
  BatchGetDeploymentInstances: batchGetDeploymentInstances,
  GetDeploymentInstance: getDeploymentInstance,
};
