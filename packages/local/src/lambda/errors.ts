import { ServiceError } from '../wire/service-error.js';

/**
 * A Lambda exception in the REST-JSON error shape Lambda answers with: the exception name in the
 * `x-amzn-ErrorType` header, the HTTP status the model gives it, and a body
 * `{"Type": "User" | "Service", "message" | "Message": ...}` (the model spells the message member
 * `Message` for some exceptions and `message` for others; the SDK reads either).
 */
export class LambdaError extends ServiceError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly type: 'User' | 'Service' = 'User',
    /** Extra members of the body and headers (TooManyRequestsException's Reason, Retry-After). */
    readonly extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(code, message, status);
  }

  /** The JSON body, with the message under the member name the model uses for this exception. */
  body(): Record<string, unknown> {
    const key = CAPITALISED_MESSAGE.has(this.code) ? 'Message' : 'message';
    return { Type: this.type, [key]: this.message, ...this.extra.body };
  }
}

/** Exceptions whose model member is `Message` (all the others use `message`). */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException']);

export function resourceNotFound(message: string): LambdaError {
  return new LambdaError('ResourceNotFoundException', message, 404);
}

export function functionNotFound(arn: string): LambdaError {
  return resourceNotFound(`Function not found: ${arn}`);
}

export function invalidParameter(message: string): LambdaError {
  return new LambdaError('InvalidParameterValueException', message, 400);
}

export function preconditionFailed(api: 'GetFunction' | 'GetAlias'): LambdaError {
  return new LambdaError(
    'PreconditionFailedException',
    `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`,
    412,
  );
}

export function resourceConflict(message: string): LambdaError {
  return new LambdaError('ResourceConflictException', message, 409);
}

/** A member that breaks the model's constraints, in the service's "1 validation error detected" wording. */
export function validationError(value: unknown, path: string, constraint: string): LambdaError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new LambdaError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`,
    400,
  );
}

export function invalidRequestContent(message: string): LambdaError {
  return new LambdaError('InvalidRequestContentException', message, 400);
}

/** What a fault rule's throttle answers on Lambda (the SDK retries it as a throttle). */
export function tooManyRequests(): LambdaError {
  return new LambdaError('TooManyRequestsException', 'Rate exceeded', 429, 'User', {
    body: { Reason: 'CallerRateLimitExceeded' },
    headers: { 'Retry-After': '1' },
  });
}

/** What an unexpected failure (or a fault rule's serverError) answers on Lambda. */
export function serviceException(): LambdaError {
  return new LambdaError('ServiceException', 'An internal error occurred.', 500, 'Service');
}
