import type { AliasView, LambdaRuntime } from '../compute/runtime.js';
import type { Store } from '../state/index.js';
import { writeAlias } from './aliases.js';
import { resourceNotFound } from './errors.js';
import type { FunctionInvoker } from './invoker.js';
import { type FunctionReference, functionArn, type LambdaScope, parseFunctionName } from './names.js';

/** The deployment engine's view of the local Lambda (see ComputeRuntime), over the same records as the API. */
export function createLambdaRuntime(
  store: Store,
  scope: LambdaScope,
  invoker: FunctionInvoker,
): LambdaRuntime {
  const reference = (functionName: string): FunctionReference | undefined => {
    try {
      return parseFunctionName(functionName, scope);
    } catch {
      return undefined;
    }
  };
  const record = (functionName: string) => {
    const ref = reference(functionName);
    return ref && !ref.foreign ? store.state.lambda.functions[ref.name] : undefined;
  };
  return {
    functionExists: (functionName) => record(functionName) !== undefined,
    alias: (functionName, alias): AliasView | undefined => {
      const found = record(functionName)?.aliases[alias];
      if (!found?.FunctionVersion) return undefined;
      return {
        version: found.FunctionVersion,
        weights: { ...found.RoutingConfig?.AdditionalVersionWeights },
      };
    },
    versionExists: (functionName, version) => {
      const fn = record(functionName);
      return fn !== undefined && (version === '$LATEST' || fn.versions[version] !== undefined);
    },
    routeAlias: (functionName, alias, route) => {
      store.update(() => {
        const fn = record(functionName);
        if (!fn?.aliases[alias]) {
          throw resourceNotFound(
            `Alias not found: ${functionArn(scope, reference(functionName)?.name ?? functionName, alias)}`,
          );
        }
        writeAlias(scope, fn, alias, { functionVersion: route.version, weights: route.weights });
      });
    },
    invoke: async (functionName, payload, signal) => {
      const ref = reference(functionName);
      if (!ref) return { ok: false, error: `${functionName} is not a valid Lambda function name or ARN` };
      try {
        const { outcome, requestId, timeoutSeconds } = await invoker.invoke(
          ref,
          ref.qualifier,
          JSON.stringify(payload ?? {}),
          signal,
        );
        switch (outcome.kind) {
          case 'returned':
            return { ok: true, output: outcome.log };
          case 'failed':
            return {
              ok: false,
              error: `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
              output: outcome.log,
            };
          case 'timedOut':
            return {
              ok: false,
              error: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
              output: outcome.log,
            };
          case 'aborted':
            return { ok: false, error: 'The invocation was stopped.', output: outcome.log };
        }
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
