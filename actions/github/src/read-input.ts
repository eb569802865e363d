import { isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import { InvalidInputError } from '@codedeploy-gate/core';

/*
 * Typed readers for action.yml's inputs. Every mistake becomes an InvalidInputError (exit 2) that names
 * the input as the workflow spells it and ends in "nothing was created": the inputs are read before
 * any AWS call.
 */

/** The input's value, or undefined when the workflow left it empty (the runner sets empty inputs to ''). */
export function optional(name: string): string | undefined {
  const value = core.getInput(name);
  return value === '' ? undefined : value;
}

export function required(name: string): string {
  const value = optional(name);
  if (value === undefined) {
    throw invalid(name, 'is required and empty', `Add \`${name}:\` under \`with:\` in the workflow step.`);
  }
  return value;
}

/** A path input, absolute or relative to the workspace. */
export function pathInput(workspace: string, name: string): string | undefined {
  const value = optional(name);
  if (value === undefined) return undefined;
  return isAbsolute(value) ? value : resolve(workspace, value);
}

/** One entry per non-empty line (trimmed); lines starting with `#` are comments. */
export function lines(name: string): string[] {
  return core.getMultilineInput(name).filter((line) => !line.startsWith('#'));
}

/** YAML 1.2 booleans, as `core.getBooleanInput` reads them, with an error that names the input. */
export function flag(name: string, fallback: boolean): boolean {
  const value = optional(name);
  if (value === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw invalid(name, `must be true or false, got "${value}"`, 'Write true or false (quotes optional).');
}

export function oneOf<T extends string>(
  name: string,
  allowed: readonly T[],
  normalize: (value: string) => string = (v) => v.toLowerCase(),
): T | undefined {
  const value = optional(name);
  if (value === undefined) return undefined;
  const normalized = normalize(value);
  if (!allowed.includes(normalized as T)) {
    throw invalid(
      name,
      `must be one of ${allowed.join(', ')}, got "${value}"`,
      `Set ${name} to one of those.`,
    );
  }
  return normalized as T;
}

export function invalid(name: string, problem: string, hint: string): InvalidInputError {
  return new InvalidInputError(`input "${name}" ${problem}; nothing was created`, { hint });
}
