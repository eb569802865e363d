export {
  buildLambdaAppspec,
  LAMBDA_HOOK_EVENTS,
  type LambdaAppspecInput,
  type LambdaHookEvent,
} from './lambda-appspec.js';
export { checkLambdaSource, currentVersionOf } from './lambda-checks.js';
export {
  type BuiltLambdaRevision,
  type LambdaRevisionOptions,
  lambdaRevision,
} from './lambda-revision.js';
