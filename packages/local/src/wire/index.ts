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
  sendJsonError,
  serveJsonRequest,
  tableService,
} from './json-service.js';
export type { DeploymentEngineHandle, Operation, OperationContext, OperationTable } from './operation.js';
export { PAGE_SIZE, pageOf } from './paging.js';
export {
  type BodyLimitScope,
  REQUEST_BODY_LIMITS,
  RequestBodyTooLargeError,
  readBoundedBody,
  requestBodyLimit,
} from './request-body.js';
export { ServiceError } from './service-error.js';
export { type SignatureScope, sigV4AccessKeyId, verifySignatureShape } from './signature.js';
