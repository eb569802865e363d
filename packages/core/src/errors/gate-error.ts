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
  /**
   * The class's kind, its own on every class `instanceof` should recognise from another copy of core
   * (a string, so minified bundles keep it).
   */
  static readonly kind: string = 'GateError';

  /**
   * `instanceof` that also holds for an error made by another copy of this module: the installed CLI
   * runs a bundle carrying its own core, while `@codedeploy-gate/local`, loaded beside it, throws
   * errors of the core it depends on. Such an error carries the kinds of its class chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof, a subclass too.
    return Function.prototype[Symbol.hasInstance].call(this, value) || sharesKind(this, value);
  }

  abstract readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: GateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as unknown as { kind: string }).kind);
    }
    Object.defineProperty(this, ERROR_KINDS, { value: kinds });
  }
}

/** Where an error keeps its kinds; `Symbol.for`, so every copy of core names the same key. */
const ERROR_KINDS = Symbol.for('codedeploy-gate.error-kinds');

/** Whether `value` was made by a class of the same kind as `asked`, in whichever copy of core. */
function sharesKind(asked: object, value: unknown): boolean {
  if (!Object.hasOwn(asked, 'kind') || typeof value !== 'object' || value === null) return false;
  const kinds = (value as { [ERROR_KINDS]?: unknown })[ERROR_KINDS];
  return Array.isArray(kinds) && kinds.includes((asked as { kind: unknown }).kind);
}

/** Bad arguments, missing files, unusable configuration: exit 2, nothing was created. */
export class InvalidInputError extends GateError {
  static override readonly kind: string = 'InvalidInputError';
  readonly exitCode = ExitCode.InvalidInput;
}

/** A revision tree or bundle that cannot be packaged safely (escaping symlinks, unsafe names). */
export class BundleError extends InvalidInputError {
  static override readonly kind: string = 'BundleError';
  /** Path of the offending entry, relative to the revision root, when there is one. */
  readonly entry: string | undefined;

  constructor(message: string, options: GateErrorOptions & { entry?: string } = {}) {
    super(message, options);
    this.entry = options.entry;
  }
}

/** An AWS call or the network failed; `doing` names what we were attempting. */
export class AwsError extends GateError {
  static override readonly kind: string = 'AwsError';
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
  static override readonly kind: string = 'DeploymentFailedError';
  readonly exitCode = ExitCode.DeploymentFailed;
}

/** The gate's deadline passed before the deployment ended. */
export class GateTimeoutError extends GateError {
  static override readonly kind: string = 'GateTimeoutError';
  readonly exitCode = ExitCode.GateTimedOut;
}

/** The user or the CI host cancelled us (SIGINT/SIGTERM). */
export class CancelledError extends GateError {
  static override readonly kind: string = 'CancelledError';
  readonly exitCode: ExitCodeValue;

  constructor(message: string, signal: 'SIGINT' | 'SIGTERM', options: GateErrorOptions = {}) {
    super(message, options);
    this.exitCode = signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
  }
}

export function isGateError(error: unknown): error is GateError {
  return error instanceof GateError;
}
