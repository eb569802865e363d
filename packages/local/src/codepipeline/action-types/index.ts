import type { OperationTable } from '../../wire/operation.js';
import type { CodePipelineContext } from '../context.js';
import { createCustomActionType, listActionTypes } from './operations.js';

export { BUILT_IN_ACTION_TYPES, S3_SOURCE } from './built-ins.js';
export {
  actionTypeKey,
  findActionType,
  requireCustomActionType,
  sameActionTypeId,
  validActionTypeId,
} from './lookup.js';
export { validTags } from './operations.js';
export { fillUrlTemplate, type UrlValues } from './urls.js';

/** CodePipeline's action type operations. */
export const actionTypeOperations: OperationTable<CodePipelineContext> = {
  CreateCustomActionType: createCustomActionType,
  ListActionTypes: listActionTypes,
};
