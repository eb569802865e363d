import type { LifecycleErrorCode } from '@aws-sdk/client-codedeploy';
import type { LifecycleResult } from './types.js';

/** The message the agent sends with a successful command (`command_poller.rb` `gather_diagnostics`). */
export const SUCCEEDED_MESSAGE = 'Succeeded';
/** Our message when the engine aborts a running event (StopDeployment, server shutdown). */
export const STOPPED_MESSAGE = 'Deployment was stopped';

/**
 * A lifecycle event failed with a known diagnostic. The agent's OutputsLeftOpen (6) and
 * FailedAfterRestart (7) codes are not in the API's LifecycleErrorCode enum and are reported as
 * UnknownError, keeping the agent's message.
 */
export class LifecycleFailure extends Error {
  constructor(
    readonly errorCode: LifecycleErrorCode,
    message: string,
    readonly scriptName = '',
    readonly logTail = '',
  ) {
    super(message);
    this.name = 'LifecycleFailure';
  }
}

export function succeeded(logTail = ''): LifecycleResult {
  return {
    status: 'Succeeded',
    diagnostics: { errorCode: 'Success', scriptName: '', message: SUCCEEDED_MESSAGE, logTail },
  };
}

/** Any other error is the agent's UNKNOWN_ERROR_CODE with the exception's message. */
export function failed(error: unknown): LifecycleResult {
  if (error instanceof LifecycleFailure) {
    return {
      status: 'Failed',
      diagnostics: {
        errorCode: error.errorCode,
        scriptName: error.scriptName,
        message: error.message,
        logTail: error.logTail,
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 'Failed',
    diagnostics: { errorCode: 'UnknownError', scriptName: '', message, logTail: '' },
  };
}
