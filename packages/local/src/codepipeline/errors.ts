import { ServiceError } from '../wire/service-error.js';

/**
 * A CodePipeline exception (PipelineNotFoundException, InvalidNonceException, ...) in the AWS JSON 1.1
 * error shape `{"__type": code, "message": message}`.
 */
export class CodePipelineError extends ServiceError {}

/** ValidationException with the service's "1 validation error detected" wording. */
export function constraintViolation(value: unknown, path: string, constraint: string): CodePipelineError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new CodePipelineError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

/** The model's pattern for job and pipeline execution ids (lower-case UUIDs). */
export const UUID_RULE = { pattern: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' } as const;

export interface StringRule {
  min?: number;
  max?: number;
  /** The model's pattern, matched against the whole value. */
  pattern?: string;
}

/** A required string member, checked against the model's length and pattern constraints. */
export function requiredString(value: unknown, path: string, rule: StringRule = {}): string {
  if (value === undefined || value === null)
    throw constraintViolation(value, path, 'Member must not be null');
  return checkedString(value, path, rule);
}

/** An optional string member: undefined when absent, otherwise checked like a required one. */
export function optionalString(value: unknown, path: string, rule: StringRule = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  return checkedString(value, path, rule);
}

function checkedString(value: unknown, path: string, rule: StringRule): string {
  if (typeof value !== 'string') throw constraintViolation(value, path, 'Member must be a string');
  const { min = 1, max, pattern } = rule;
  if (value.length < min) {
    throw constraintViolation(value, path, `Member must have length greater than or equal to ${min}`);
  }
  if (max !== undefined && value.length > max) {
    throw constraintViolation(value, path, `Member must have length less than or equal to ${max}`);
  }
  if (pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(value)) {
    throw constraintViolation(value, path, `Member must satisfy regular expression pattern: ${pattern}`);
  }
  return value;
}

/** A required member whose value is one of the model's enum values. */
export function enumValue<T extends string>(value: unknown, path: string, values: readonly T[]): T {
  if (value === undefined || value === null)
    throw constraintViolation(value, path, 'Member must not be null');
  if (!values.includes(value as T)) {
    throw constraintViolation(value, path, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}

/** An optional integer member within the model's range. */
export function optionalInteger(value: unknown, path: string, min: number, max?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw constraintViolation(value, path, 'Member must be an integer');
  }
  if (value < min)
    throw constraintViolation(value, path, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && value > max) {
    throw constraintViolation(value, path, `Member must have value less than or equal to ${max}`);
  }
  return value;
}
