export { LAMBDA_HOOK_EVENTS, type LambdaHookEvent } from '../appspec/hook-events.js';
export { createLambdaClient } from '../aws/lambda-client.js';
export { buildLambdaAppspec, type LambdaAppspecInput } from './lambda-appspec.js';
export { checkLambdaSource, currentVersionOf } from './lambda-checks.js';
export {
  type BuiltLambdaRevision,
  type LambdaRevisionOptions,
  lambdaRevision,
} from './lambda-revision.js';
