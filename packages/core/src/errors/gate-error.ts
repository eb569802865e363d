import { ExitCode, type ExitCodeValue } from './exit-codes.js';

export interface GateErrorOptions {
  /** What the user can do about it, printed under the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * Base of every error a user may see. The message says what went wrong in the user's terms, the hint
 * says what to do, and the exit code is what the process ends with. Front ends print `message` and
 * `hint` and never a stack trace for these (the CLI shows stacks only with `--debug`).
 */
export abstract class GateError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: GateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad arguments, missing files, unusable configuration: exit 2, nothing was created. */
export class InvalidInputError extends GateError {
  readonly exitCode = ExitCode.InvalidInput;
}

/** A revision tree or bundle that cannot be packaged safely (escaping symlinks, unsafe names). */
export class BundleError extends InvalidInputError {
  /** Path of the offending entry, relative to the revision root, when there is one. */
  readonly entry: string | undefined;

  constructor(message: string, options: GateErrorOptions & { entry?: string } = {}) {
    super(message, options);
    this.entry = options.entry;
  }
}

/** An AWS call or the network failed; `doing` names what we were attempting. */
export class AwsError extends GateError {
  readonly exitCode = ExitCode.AwsFailure;
  /** The AWS error code (`AccessDenied`, `ThrottlingException`, ...) or a Node network code. */
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: GateErrorOptions & { code?: string; requestId?: string } = {}) {
    super(message, options);
    this.code = options.code;
    this.requestId = options.requestId;
  }
}

/** The deployment ended without succeeding. */
export class DeploymentFailedError extends GateError {
  readonly exitCode = ExitCode.DeploymentFailed;
}

/** The gate's deadline passed before the deployment ended. */
export class GateTimeoutError extends GateError {
  readonly exitCode = ExitCode.GateTimedOut;
}

/** The user or the CI host cancelled us (SIGINT/SIGTERM). */
export class CancelledError extends GateError {
  readonly exitCode: ExitCodeValue;

  constructor(message: string, signal: 'SIGINT' | 'SIGTERM', options: GateErrorOptions = {}) {
    super(message, options);
    this.exitCode = signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
  }
}

export function isGateError(error: unknown): error is GateError {
  return error instanceof GateError;
}
