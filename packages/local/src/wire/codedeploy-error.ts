import { ServiceError } from './service-error.js';

/**
 * A CodeDeploy exception (ApplicationDoesNotExistException, ...) in the AWS JSON 1.1 error shape
 * `{"__type": code, "message": message}`.
 */
export class CodeDeployError extends ServiceError {}
