import { AwsError } from '../errors/index.js';

/** Error names the SDK itself treats as throttling (smithy's THROTTLING_ERROR_CODES). */
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** Names and Node error codes of failures where the request may simply be tried again later. */
const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isThrottlingError(error: unknown): boolean {
  return THROTTLING.has(errorCode(error) ?? '') || statusOf(error) === 429;
}

/**
 * Whether a failed read is worth retrying later: throttling (the SDK's own retries ran out), a 5xx,
 * or a network failure. Access denied, no such deployment and other client errors are not.
 */
export function isRetryableAwsError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  const code = errorCode(error) ?? '';
  if (TRANSIENT.has(code)) return true;
  const status = statusOf(error);
  return status !== undefined && status >= 500;
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof AwsError) return error.code ?? errorCode(error.cause);
  const e = error as { name?: string; code?: string } | undefined;
  return e?.name && e.name !== 'Error' ? e.name : e?.code;
}

function statusOf(error: unknown): number | undefined {
  const e = (error instanceof AwsError ? error.cause : error) as
    | { $metadata?: { httpStatusCode?: number } }
    | undefined;
  return e?.$metadata?.httpStatusCode;
}
