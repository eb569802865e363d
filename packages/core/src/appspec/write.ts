import { InvalidInputError } from '../errors/index.js';
import type { ComputePlatform } from './types.js';
import { validateAppspec } from './validate.js';

/** How a built AppSpec is written. */
export type AppspecFormat = 'yaml' | 'json';

type Value = string | number | boolean | Value[] | { [key: string]: Value };

/** A Lambda or ECS AppSpec as data; `version: 0.0` is written first by {@link writeServiceAppspec}. */
export interface ServiceAppspec {
  Resources: Array<Record<string, { Type: string; Properties: Record<string, Value> }>>;
  Hooks?: Array<Record<string, string>> | undefined;
}

/**
 * The AppSpec as YAML or JSON text. Written by hand rather than by a generic dumper because the
 * version must read `0.0` (a number JavaScript cannot tell from 0) and every string is
 * double-quoted, so a function called `yes` or a version `7` keeps its type in YAML.
 */
export function writeServiceAppspec(appspec: ServiceAppspec, format: AppspecFormat): string {
  const body: Record<string, Value> = { Resources: appspec.Resources };
  if (appspec.Hooks !== undefined && appspec.Hooks.length > 0) body.Hooks = appspec.Hooks;
  if (format === 'json') {
    // `{\n  "Resources": ...` with the version line slipped in after the brace.
    return `{\n  "version": 0.0,\n${JSON.stringify(body, null, 2).slice(2)}\n`;
  }
  return `${['version: 0.0', ...yamlEntries(body, '')].join('\n')}\n`;
}

/**
 * `[{ Event: function }]` in lifecycle order for the events given a function: the Hooks list of a
 * Lambda or ECS AppSpec.
 */
export function hookList<Event extends string>(
  order: readonly Event[],
  hooks: Partial<Record<Event, string>> | undefined,
): Array<Record<string, string>> {
  return order.flatMap((event) => {
    const fn = hooks?.[event];
    return fn === undefined || fn === '' ? [] : [{ [event]: fn }];
  });
}

function yamlEntries(map: Record<string, Value>, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'object' || (Array.isArray(value) && value.length === 0)) {
      lines.push(`${indent}${yamlKey(key)}: ${yamlScalar(value)}`);
    } else {
      lines.push(`${indent}${yamlKey(key)}:`, ...yamlBlock(value, `${indent}  `));
    }
  }
  return lines;
}

function yamlBlock(value: Value[] | { [key: string]: Value }, indent: string): string[] {
  if (!Array.isArray(value)) return yamlEntries(value, indent);
  return value.flatMap((item) => {
    if (typeof item !== 'object') return [`${indent}- ${yamlScalar(item)}`];
    // An item's first line takes the dash; the rest line up under it.
    const [first = '', ...rest] = yamlBlock(item, `${indent}  `);
    return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
  });
}

function yamlScalar(value: Value): string {
  if (Array.isArray(value)) return '[]';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Keys stay plain unless YAML would read them as something else (`yes`, `null`, `a:b`). */
function yamlKey(key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !/^(y|yes|n|no|true|false|on|off|null)$/i.test(key);
  return plain ? key : JSON.stringify(key);
}

/**
 * Checks an AppSpec the gate built with the validator the user's AppSpecs go through, and turns its
 * errors into one InvalidInputError: built from options, its problems are the options' problems.
 * `what` names the deployment (`my-fn:live`); `hint` says which options shape it.
 */
export function assertValidBuiltAppspec(
  content: string,
  platform: Extract<ComputePlatform, 'lambda' | 'ecs'>,
  what: string,
  hint: string,
): void {
  const validation = validateAppspec(content, { file: `AppSpec for ${what}`, platform });
  const errors = validation.problems.filter((problem) => problem.severity === 'error');
  if (errors.length === 0) return;
  const list = errors.map((problem) => `${problem.path || '(document)'}: ${problem.message}`).join('; ');
  throw new InvalidInputError(`the AppSpec built for ${what} is invalid: ${list}; nothing was created`, {
    hint: `${errors[0]?.hint ?? ''} ${hint}`.trim(),
  });
}
