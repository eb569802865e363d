import { LAMBDA_HOOK_EVENTS, type LambdaHookEvent } from '../appspec/hook-events.js';
import { type AppspecFormat, hookList, type ServiceAppspec, writeServiceAppspec } from '../appspec/write.js';
import type { HookFunctions } from '../gate/revision-source.js';

export interface LambdaAppspecInput {
  /** The function's name or ARN. */
  functionName: string;
  alias: string;
  /** The published version the alias points to now. */
  currentVersion: string;
  /** The published version traffic moves to. */
  targetVersion: string;
  hooks?: HookFunctions<LambdaHookEvent> | undefined;
}

/**
 * A Lambda AppSpec: one AWS::Lambda::Function resource (named after the function) moving the alias
 * from the current to the target version, and the hook functions in lifecycle order. Pure; the caller
 * validates it (`assertValidBuiltAppspec`).
 */
export function buildLambdaAppspec(input: LambdaAppspecInput, format: AppspecFormat = 'yaml'): string {
  const appspec: ServiceAppspec = {
    Resources: [
      {
        [resourceName(input.functionName)]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: input.functionName,
            Alias: input.alias,
            CurrentVersion: input.currentVersion,
            TargetVersion: input.targetVersion,
          },
        },
      },
    ],
    Hooks: hookList(LAMBDA_HOOK_EVENTS, input.hooks),
  };
  return writeServiceAppspec(appspec, format);
}

/** `my-fn` from `my-fn`, `arn:aws:lambda:…:function:my-fn` or `123456789012:function:my-fn`. */
function resourceName(functionName: string): string {
  return /(?:^|:)function:([A-Za-z0-9_-]+)/.exec(functionName)?.[1] ?? functionName;
}
