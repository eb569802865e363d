export { CodeDeployError } from './codedeploy-error.js';
export {
  CODEDEPLOY_TIMESTAMP_INPUTS,
  CODEPIPELINE_TIMESTAMP_INPUTS,
  decodeInput,
  encodeError,
  encodeOutput,
  JSON_11_CONTENT_TYPE,
} from './json-protocol.js';
export {
  type JsonService,
  newRequestId,
  readBody,
  sendJsonError,
  serveJsonRequest,
  tableService,
} from './json-service.js';
export type { DeploymentEngineHandle, Operation, OperationContext, OperationTable } from './operation.js';
export { PAGE_SIZE, pageOf } from './paging.js';
export { ServiceError } from './service-error.js';
export { type SignatureScope, sigV4AccessKeyId, verifySignatureShape } from './signature.js';
