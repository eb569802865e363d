import type { OperationTable } from '../wire/operation.js';
import {
  batchGetApplicationRevisions,
  getApplicationRevision,
  listApplicationRevisions,
  registerApplicationRevision,
} from './operations.js';

/** CodeDeploy's application revision operations. */
export const revisionOperations: OperationTable = {
  RegisterApplicationRevision: registerApplicationRevision,
  GetApplicationRevision: getApplicationRevision,
  BatchGetApplicationRevisions: batchGetApplicationRevisions,
  ListApplicationRevisions: listApplicationRevisions,
};
