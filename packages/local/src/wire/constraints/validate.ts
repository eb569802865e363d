import type { ListRule, MapRule, Rule, StringRule, StructureRule } from './rules.js';

/** Which model constraint a value breaks. */
export type ViolationKind = 'required' | 'type' | 'min' | 'max' | 'pattern' | 'enum';

/** One broken constraint, at a member path in the model's spelling (`revision.s3Location.bucket`). */
export interface Violation {
  path: string;
  kind: ViolationKind;
  value: unknown;
  /** AWS's wording of the constraint: "Member must have length less than or equal to 100". */
  constraint: string;
  /** The bound a `min` or `max` violation broke. */
  limit?: number;
}

/**
 * Every constraint of the model that `input` breaks, in member order. Pure: the wire layer turns the
 * first violation into the service's exception. Members the model does not know are left alone (the
 * services ignore them too).
 */
export function violations(rule: Rule, input: unknown): Violation[] {
  const found: Violation[] = [];
  check(rule, input, '', found);
  return found;
}

function check(rule: Rule, value: unknown, path: string, found: Violation[]): void {
  if (value === undefined || value === null) return;
  const add: Add = (kind, constraint, limit) =>
    found.push({ path, kind, value, constraint, ...(limit === undefined ? {} : { limit }) });
  switch (rule.type) {
    case 'string':
      checkString(rule, value, add);
      return;
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        add('type', 'Member must be a number');
        return;
      }
      if (rule.min !== undefined && value < rule.min)
        add('min', `Member must have value greater than or equal to ${rule.min}`, rule.min);
      if (rule.max !== undefined && value > rule.max)
        add('max', `Member must have value less than or equal to ${rule.max}`, rule.max);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') add('type', 'Member must be a boolean');
      return;
    case 'list':
      checkList(rule, value, path, found, add);
      return;
    case 'map':
      checkMap(rule, value, path, found, add);
      return;
    case 'structure':
      checkStructure(rule, value, path, found, add);
      return;
    default:
      return;
  }
}

type Add = (kind: ViolationKind, constraint: string, limit?: number) => void;

function checkString(rule: StringRule, value: unknown, add: Add): void {
  if (typeof value !== 'string') {
    add('type', 'Member must be a string');
    return;
  }
  const length = codePoints(value, rule.max);
  if (rule.min !== undefined && length < rule.min)
    add('min', `Member must have length greater than or equal to ${rule.min}`, rule.min);
  if (rule.max !== undefined && length > rule.max)
    add('max', `Member must have length less than or equal to ${rule.max}`, rule.max);
  // A pattern runs only on a value within its length, so its cost stays bounded by the model's max.
  if (
    rule.pattern !== undefined &&
    (rule.max === undefined || length <= rule.max) &&
    !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value)
  )
    add('pattern', `Member must satisfy regular expression pattern: ${rule.pattern}`);
  if (rule.enum !== undefined && !rule.enum.includes(value))
    add('enum', `Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
}

/**
 * The value's length in characters, as the services count it (UTF-16 units would count an emoji
 * twice), counted no further than one past `max`: a 4 MiB value costs no more than the model allows.
 */
function codePoints(value: string, max: number | undefined): number {
  let count = 0;
  for (const _ of value) {
    count += 1;
    if (max !== undefined && count > max) break;
  }
  return count;
}

function checkList(rule: ListRule, value: unknown, path: string, found: Violation[], add: Add) {
  if (!Array.isArray(value)) {
    add('type', 'Member must be a list');
    return;
  }
  if (rule.min !== undefined && value.length < rule.min)
    add('min', `Member must have length greater than or equal to ${rule.min}`, rule.min);
  if (rule.max !== undefined && value.length > rule.max)
    add('max', `Member must have length less than or equal to ${rule.max}`, rule.max);
  value.forEach((item, index) => {
    check(rule.member, item, `${path}.${index + 1}.member`, found);
  });
}

function checkMap(rule: MapRule, value: unknown, path: string, found: Violation[], add: Add) {
  if (typeof value !== 'object' || Array.isArray(value)) {
    add('type', 'Member must be a map');
    return;
  }
  const entries = Object.entries(value as object);
  if (rule.min !== undefined && entries.length < rule.min)
    add('min', `Member must have length greater than or equal to ${rule.min}`, rule.min);
  if (rule.max !== undefined && entries.length > rule.max)
    add('max', `Member must have length less than or equal to ${rule.max}`, rule.max);
  for (const [key, item] of entries) {
    check(rule.key, key, `${path}.${key}.key`, found);
    check(rule.value, item, `${path}.${key}.value`, found);
  }
}

function checkStructure(rule: StructureRule, value: unknown, path: string, found: Violation[], add: Add) {
  if (typeof value !== 'object' || Array.isArray(value)) {
    add('type', 'Member must be a structure');
    return;
  }
  const record = value as Record<string, unknown>;
  const prefix = path === '' ? '' : `${path}.`;
  for (const [name, memberRule] of Object.entries(rule.members)) {
    const memberValue = Object.hasOwn(record, name) ? record[name] : undefined;
    if (rule.required?.includes(name) && (memberValue === undefined || memberValue === null)) {
      found.push({
        path: `${prefix}${name}`,
        kind: 'required',
        value: memberValue,
        constraint: 'Member must not be null',
      });
      continue;
    }
    check(memberRule, memberValue, `${prefix}${name}`, found);
  }
}

/**
 * AWS's ValidationException message: "1 validation error detected: Value 'x' at 'path' failed to
 * satisfy constraint: ..." (errors joined by "; ", as the services print them).
 */
export function validationMessage(found: readonly Violation[]): string {
  const count = found.length === 1 ? '1 validation error' : `${found.length} validation errors`;
  const parts = found.map(
    (violation) =>
      `Value ${shownValue(violation.value)} at '${violation.path}' failed to satisfy constraint: ${violation.constraint}`,
  );
  return `${count} detected: ${parts.join('; ')}`;
}

function shownValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((item) => String(item)).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}
