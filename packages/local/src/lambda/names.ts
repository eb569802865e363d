import { invalidParameter, validationError } from './errors.js';

/** Where the local functions live: the server's one account and region. */
export interface LambdaScope {
  accountId: string;
  region: string;
}

/** A FunctionName as Lambda accepts it, taken apart. */
export interface FunctionReference {
  name: string;
  /** A version or alias named in the FunctionName itself (`my-function:PROD`). */
  qualifier?: string;
  /** The ARN the caller gave pointed at another account or region: no local function is found there. */
  foreign?: string;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;
const ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:(.+)$/;
const PARTIAL_ARN = /^(\d{12}):function:(.+)$/;
const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/**
 * Parses a FunctionName: a name (`my-function`), a name with a qualifier (`my-function:1`), a full
 * ARN (`arn:aws:lambda:us-east-1:111122223333:function:my-function[:PROD]`) or a partial one
 * (`111122223333:function:my-function`), the forms Lambda accepts.
 */
export function parseFunctionName(value: unknown, scope: LambdaScope): FunctionReference {
  if (typeof value !== 'string' || value === '') {
    throw validationError(value, 'functionName', 'Member must have length greater than or equal to 1');
  }
  let rest = value;
  let foreign: string | undefined;
  const full = ARN.exec(value);
  const partial = full ? undefined : PARTIAL_ARN.exec(value);
  if (full) {
    rest = full[3] ?? '';
    if (full[1] !== scope.region || full[2] !== scope.accountId) foreign = value;
  } else if (partial) {
    rest = partial[2] ?? '';
    if (partial[1] !== scope.accountId) foreign = value;
  }
  const [name = '', qualifier, ...extra] = rest.split(':');
  if (!NAME.test(name) || extra.length > 0 || (qualifier !== undefined && !QUALIFIER.test(qualifier))) {
    throw validationError(
      value,
      'functionName',
      `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
    );
  }
  return { name, ...(qualifier === undefined ? {} : { qualifier }), ...(foreign ? { foreign } : {}) };
}

/** A FunctionName for an operation that takes no qualifier (UpdateFunctionCode, PublishVersion, aliases). */
export function parseUnqualifiedName(value: unknown, scope: LambdaScope): FunctionReference {
  const reference = parseFunctionName(value, scope);
  if (reference.qualifier !== undefined) {
    throw invalidParameter(
      `Unsupported qualifier in function name '${String(value)}': give the function's name or unqualified ARN.`,
    );
  }
  return reference;
}

/**
 * The qualifier of an operation that takes one both in the name and as `Qualifier`: they must agree,
 * as on Lambda. undefined means $LATEST.
 */
export function qualifierOf(reference: FunctionReference, qualifier: unknown): string | undefined {
  const given = qualifier === undefined || qualifier === null || qualifier === '' ? undefined : qualifier;
  if (given !== undefined && (typeof given !== 'string' || !QUALIFIER.test(given))) {
    throw validationError(
      given,
      'qualifier',
      'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)',
    );
  }
  if (given !== undefined && reference.qualifier !== undefined && given !== reference.qualifier) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return (given as string | undefined) ?? reference.qualifier;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`. */
export function functionArn(scope: LambdaScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** Alias names: letters, digits, `-` and `_`, not all digits (those are versions). */
export function checkAliasName(value: unknown, path = 'name'): string {
  if (typeof value !== 'string' || !/^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/.test(value)) {
    throw validationError(
      value,
      path,
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)',
    );
  }
  return value;
}

/** True for a published version number ("1", "42"). */
export function isVersionNumber(qualifier: string): boolean {
  return /^[1-9][0-9]*$/.test(qualifier);
}
