export { wrapAwsError } from './aws.js';
export { ExitCode, type ExitCodeValue } from './exit-codes.js';
export {
  AwsError,
  BundleError,
  CancelledError,
  DeploymentFailedError,
  GateError,
  type GateErrorOptions,
  GateTimeoutError,
  InvalidInputError,
  isGateError,
} from './gate-error.js';
export { jsonErrorPlace } from './json-error-place.js';
