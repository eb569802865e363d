import type { OperationTable } from '../wire/operation.js';
import {
  batchGetApplications,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  updateApplication,
} from './operations.js';

export { requireApplication, validApplicationName } from './lookup.js';
export { validTagsToAdd } from './operations.js';

/** CodeDeploy's application operations. */
export const applicationOperations: OperationTable = {
  CreateApplication: createApplication,
  GetApplication: getApplication,
  BatchGetApplications: batchGetApplications,
  ListApplications: listApplications,
  DeleteApplication: deleteApplication,
  UpdateApplication: updateApplication,
};
