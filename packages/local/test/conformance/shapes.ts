import { isAllowedEnumValue } from './known-differences.js';
import {
  type DeclaredType,
  declaration,
  resolveShape,
  type ServiceModel,
  type Shape,
  typeOf,
} from './models.js';

/** One way a response differs from the model, at a JSON path (`deploymentInfo.status`). */
export interface Violation {
  path: string;
  problem: string;
}

/** Where a value sits: its model shape and the d.ts type naming its enum values. */
interface Position {
  model: ServiceModel;
  shape: Shape;
  declared: string | undefined;
  path: string;
}

/**
 * Checks a JSON value (AWS JSON 1.1 or REST-JSON body) against a model shape: no member the shape does
 * not have, every value of its shape's type (timestamps as epoch seconds unless the model says
 * otherwise), every enum value one the model lists.
 */
export function checkJson(
  model: ServiceModel,
  shape: Shape,
  declared: string | undefined,
  value: unknown,
): Violation[] {
  const violations: Violation[] = [];
  visitJson({ model, shape: resolveShape(model, shape), declared, path: '' }, value, violations);
  return violations;
}

function visitJson(at: Position, value: unknown, out: Violation[]): void {
  const type = typeOf(at.shape);
  const found = describe(value);
  const wrong = (): void => {
    out.push({ path: at.path || '(body)', problem: `expected ${type}, got ${found}` });
  };
  switch (type) {
    case 'structure': {
      if (found !== 'object') {
        wrong();
        return;
      }
      const members = at.shape.members ?? {};
      const fields = structureFields(declaration(at.model, at.declared));
      for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
        const memberShape = members[name];
        if (memberShape === undefined || isBoundElsewhere(memberShape)) {
          out.push({ path: join(at.path, name), problem: 'member not in the model' });
          continue;
        }
        visitJson(child(at, memberShape, fields?.get(name), join(at.path, name)), member, out);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        wrong();
        return;
      }
      const element = listMember(declaration(at.model, at.declared));
      value.forEach((item, index) => {
        visitJson(child(at, at.shape.member ?? {}, element, `${at.path}[${index}]`), item, out);
      });
      return;
    }
    case 'map': {
      if (found !== 'object') {
        wrong();
        return;
      }
      const declaredValue = mapValue(declaration(at.model, at.declared));
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        visitJson(child(at, at.shape.value ?? {}, declaredValue, join(at.path, key)), item, out);
      }
      return;
    }
    case 'timestamp': {
      const format = at.shape.timestampFormat ?? 'unixTimestamp';
      if (format === 'unixTimestamp' ? found !== 'number' : found !== 'string') {
        out.push({ path: at.path, problem: `expected a timestamp (${format}), got ${found}` });
      }
      return;
    }
    case 'integer':
    case 'long':
      if (found !== 'number' || !Number.isInteger(value)) wrong();
      return;
    case 'float':
    case 'double':
      if (found !== 'number') wrong();
      return;
    case 'boolean':
      if (found !== 'boolean') wrong();
      return;
    case 'blob':
      if (found !== 'string') wrong();
      return;
    default:
      if (found !== 'string') {
        wrong();
        return;
      }
      checkEnum(at, value as string, out);
  }
}

/** `text` checked as the model's scalar `shape` (an XML element's content). */
export function checkScalarText(at: Position, text: string, out: Violation[]): void {
  const type = typeOf(at.shape);
  const problem = (expected: string) =>
    out.push({ path: at.path, problem: `expected ${expected}, got ${JSON.stringify(text)}` });
  if (type === 'integer' || type === 'long') {
    if (!/^-?[0-9]+$/.test(text)) problem(type);
  } else if (type === 'float' || type === 'double') {
    if (Number.isNaN(Number(text)) || text.trim() === '') problem(type);
  } else if (type === 'boolean') {
    if (text !== 'true' && text !== 'false') problem('true or false');
  } else if (type === 'timestamp') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text))
      problem('an ISO 8601 timestamp');
  } else if (type === 'string') {
    checkEnum(at, text, out);
  }
}

function checkEnum(at: Position, value: string, out: Violation[]): void {
  const declared = declaration(at.model, at.declared);
  if (declared?.kind !== 'enum' || declared.values.includes(value)) return;
  const name = enumName(at.model, at.declared);
  if (name !== undefined && isAllowedEnumValue(name, value)) return;
  out.push({
    path: at.path,
    problem: `${JSON.stringify(value)} is not a ${name ?? 'enum'} value (${declared.values.join(', ')})`,
  });
}

/** The d.ts name of the enum that `name` aliases (`MinimumHealthyHostsType`). */
function enumName(model: ServiceModel, name: string | undefined): string | undefined {
  let current = name;
  for (let hops = 0; current !== undefined && hops < 20; hops++) {
    const found = model.declared.get(current);
    if (found?.kind !== 'alias') return current;
    current = found.target;
  }
  return undefined;
}

export function child(at: Position, shape: Shape, declared: string | undefined, path: string): Position {
  return { model: at.model, shape: resolveShape(at.model, shape), declared, path };
}

export function structureFields(declared: DeclaredType | undefined): ReadonlyMap<string, string> | undefined {
  return declared?.kind === 'structure' ? declared.members : undefined;
}

export function listMember(declared: DeclaredType | undefined): string | undefined {
  return declared?.kind === 'list' ? declared.member : undefined;
}

function mapValue(declared: DeclaredType | undefined): string | undefined {
  return declared?.kind === 'map' ? declared.value : undefined;
}

/** A member carried in a header, the status code or the URI is not part of the body. */
export function isBoundElsewhere(shape: Shape): boolean {
  return shape.location !== undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export type { Position };
