import type { OperationTable } from '../wire/operation.js';
import {
  addTagsToOnPremisesInstances,
  batchGetOnPremisesInstances,
  deregisterOnPremisesInstance,
  getOnPremisesInstance,
  listOnPremisesInstances,
  registerOnPremisesInstance,
  removeTagsFromOnPremisesInstances,
} from './operations.js';

/** CodeDeploy's on-premises instance operations; each registered instance is a local folder. */
export const instanceOperations: OperationTable = {
  RegisterOnPremisesInstance: registerOnPremisesInstance,
  DeregisterOnPremisesInstance: deregisterOnPremisesInstance,
  AddTagsToOnPremisesInstances: addTagsToOnPremisesInstances,
  RemoveTagsFromOnPremisesInstances: removeTagsFromOnPremisesInstances,
  GetOnPremisesInstance: getOnPremisesInstance,
  BatchGetOnPremisesInstances: batchGetOnPremisesInstances,
  ListOnPremisesInstances: listOnPremisesInstances,
};
