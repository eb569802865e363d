export type { LambdaContext } from './context.js';
export { LambdaError, serviceException, tooManyRequests } from './errors.js';
export { FunctionInvoker, type FunctionInvokerOptions, type Invocation } from './invoker.js';
export type { LambdaScope } from './names.js';
export { sendLambdaError } from './rest-protocol.js';
export type { FunctionErrorPayload, RunOutcome } from './runner.js';
export { createLambdaRuntime } from './runtime.js';
export {
  type AliasSeed,
  type FunctionSeed,
  putFunction,
  type SeededFunction,
  type VersionSeed,
} from './seed.js';
export { isLambdaRequest, lambdaOperationOf, serveLambdaRequest } from './service.js';
