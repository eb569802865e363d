import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';
import type { Clock } from '../gate/clock.js';

/*
 * The Lambda calls a Lambda revision needs, each turning the service's errors into ours: a missing
 * function, alias or version is the user's input (exit 2, naming what to fix), anything else an
 * AwsError saying what we were doing.
 */

const denied = (action: string, resource: string) => ({
  AccessDeniedException: `Allow ${action} on ${resource} for the credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID, the runner role).`,
});

const isNotFound = (error: unknown) => (error as Error).name === 'ResourceNotFoundException';

function options(signal: AbortSignal | undefined) {
  return signal ? { abortSignal: signal } : {};
}

/** The function's $LATEST configuration (or a version's, with `qualifier`); undefined when it does not exist. */
export async function functionConfiguration(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  signal: AbortSignal | undefined,
): Promise<FunctionConfiguration | undefined> {
  try {
    return await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: functionName,
        ...(qualifier !== undefined ? { Qualifier: qualifier } : {}),
      }),
      options(signal),
    );
  } catch (error) {
    signal?.throwIfAborted();
    if (isNotFound(error)) return undefined;
    throw wrapAwsError(
      `reading Lambda function ${functionName}${qualifier ? ` version ${qualifier}` : ''}`,
      error,
      denied('lambda:GetFunctionConfiguration', functionName),
    );
  }
}

export async function getAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
  signal: AbortSignal | undefined,
): Promise<AliasConfiguration> {
  try {
    return await lambda.send(
      new GetAliasCommand({ FunctionName: functionName, Name: alias }),
      options(signal),
    );
  } catch (error) {
    signal?.throwIfAborted();
    if (isNotFound(error)) {
      throw new InvalidInputError(
        `Lambda function ${functionName} has no alias ${alias}; nothing was created`,
        {
          hint: `Fix the alias name, or create the alias on the live version first (aws lambda create-alias --function-name ${functionName} --name ${alias} --function-version N).`,
          cause: error,
        },
      );
    }
    throw wrapAwsError(
      `reading alias ${alias} of Lambda function ${functionName}`,
      error,
      denied('lambda:GetAlias', functionName),
    );
  }
}

/** UpdateFunctionCode with the zip's bytes; answers the new code's hash. */
export async function updateFunctionCode(
  lambda: LambdaClient,
  functionName: string,
  zip: Uint8Array,
  zipFile: string,
  signal: AbortSignal | undefined,
): Promise<FunctionConfiguration> {
  try {
    return await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }),
      options(signal),
    );
  } catch (error) {
    signal?.throwIfAborted();
    const name = (error as Error).name;
    if (name === 'RequestEntityTooLargeException' || name === 'CodeStorageExceededException') {
      throw new InvalidInputError(
        `Lambda refused ${zipFile} for ${functionName}: ${(error as Error).message}`,
        {
          hint: 'Direct uploads are limited to 50 MB zipped (250 MB unzipped): trim the package or move dependencies to a layer.',
          cause: error,
        },
      );
    }
    if (name === 'InvalidParameterValueException') {
      throw new InvalidInputError(
        `Lambda refused ${zipFile} for ${functionName}: ${(error as Error).message}`,
        {
          hint: 'Check that the zip holds the handler at its root and suits the function (a container-image function takes no zip).',
          cause: error,
        },
      );
    }
    throw wrapAwsError(
      `updating the code of Lambda function ${functionName}`,
      error,
      denied('lambda:UpdateFunctionCode', functionName),
    );
  }
}

/**
 * Waits until the function's last update finished (LastUpdateStatus no longer InProgress), polling
 * GetFunctionConfiguration every `pollMs` for up to `limitMs`; a Failed update is the package's fault.
 */
export async function waitForUpdate(
  lambda: LambdaClient,
  functionName: string,
  settings: { clock: Clock; pollMs: number; limitMs: number; signal: AbortSignal | undefined },
): Promise<FunctionConfiguration> {
  const { clock, pollMs, limitMs, signal } = settings;
  const giveUpAt = clock.now() + limitMs;
  for (;;) {
    const configuration = await functionConfiguration(lambda, functionName, undefined, signal);
    if (configuration === undefined) {
      throw new InvalidInputError(`Lambda function ${functionName} disappeared while its code was updated`, {
        hint: 'Something else deleted it; create it again and rerun.',
      });
    }
    const status = configuration.LastUpdateStatus;
    if (status === 'Failed') {
      throw new InvalidInputError(
        `Lambda could not update function ${functionName}: ${configuration.LastUpdateStatusReason ?? configuration.LastUpdateStatusReasonCode ?? 'no reason given'}; nothing was deployed`,
        { hint: 'Fix the code package (or the function configuration the reason names) and rerun.' },
      );
    }
    if (status !== 'InProgress') return configuration;
    if (clock.now() >= giveUpAt) {
      throw wrapAwsError(
        `waiting for Lambda function ${functionName} to finish updating`,
        Object.assign(new Error(`still InProgress after ${Math.round(limitMs / 1000)} s`), {
          name: 'UpdateTimeout',
        }),
      );
    }
    await clock.sleep(pollMs, signal);
  }
}

/**
 * PublishVersion, guarded by the code hash (and revision id) we saw: if anything changed the function
 * since, Lambda refuses rather than publishing code nobody checked.
 */
export async function publishVersion(
  lambda: LambdaClient,
  functionName: string,
  guard: { codeSha256?: string | undefined; revisionId?: string | undefined },
  signal: AbortSignal | undefined,
): Promise<FunctionConfiguration> {
  try {
    return await lambda.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        ...(guard.codeSha256 ? { CodeSha256: guard.codeSha256 } : {}),
        ...(guard.revisionId ? { RevisionId: guard.revisionId } : {}),
      }),
      options(signal),
    );
  } catch (error) {
    signal?.throwIfAborted();
    const name = (error as Error).name;
    if (name === 'PreconditionFailedException' || name === 'InvalidParameterValueException') {
      throw new InvalidInputError(
        `Lambda function ${functionName} changed while its version was being published (${(error as Error).message}); nothing was deployed`,
        {
          hint: 'Another update reached the function at the same time; rerun once it is done.',
          cause: error,
        },
      );
    }
    throw wrapAwsError(`publishing a version of Lambda function ${functionName}`, error, {
      ...denied('lambda:PublishVersion', functionName),
      ResourceConflictException: 'An update of the function is still in progress; rerun when it is done.',
    });
  }
}

/**
 * Hook functions that do not exist would fail the deployment at the hook; named wrong, they are
 * caught here instead, before anything is created. Only a definite "not found" counts: a role that
 * may not read them still lets CodeDeploy (with its own role) invoke them.
 */
/**
 * A lifecycle hook names a Lambda function that does not exist: `deploy` refuses it (exit 2, nothing
 * created); `plan` reports it as what would stop the deployment.
 */
export class MissingHookFunctionError extends InvalidInputError {
  readonly event: string;
  readonly functionName: string;

  constructor(event: string, functionName: string) {
    super(`the ${event} hook function ${functionName} does not exist; nothing was created`, {
      hint: `Fix the ${event} hook function name (or ARN), or deploy that function first.`,
    });
    this.event = event;
    this.functionName = functionName;
  }
}

export async function assertHookFunctionsExist(
  lambda: LambdaClient,
  hooks: Partial<Record<string, string>> | undefined,
  events: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const event of events) {
    const hook = hooks?.[event];
    if (hook === undefined || hook === '') continue;
    const found = await functionConfiguration(lambda, hook, undefined, signal).catch((error: unknown) => {
      signal?.throwIfAborted();
      return error;
    });
    if (found === undefined) throw new MissingHookFunctionError(event, hook);
  }
}
