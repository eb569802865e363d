import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The official service models, from the pinned `aws-sdk` v2 dev dependency: `apis/<id>.min.json` for
 * the wire (members, types, XML names, HTTP bindings) and `clients/<name>.d.ts` for what the minified
 * JSON leaves out, the enum values. Both come from the same package version, so they cannot disagree.
 */

/** A shape of a `.min.json` model, references resolved on use. */
export interface Shape {
  shape?: string;
  type?:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  members?: Record<string, Shape>;
  member?: Shape;
  key?: Shape;
  value?: Shape;
  required?: string[];
  location?: 'header' | 'headers' | 'uri' | 'querystring' | 'statusCode';
  locationName?: string;
  flattened?: boolean;
  payload?: string;
  streaming?: boolean;
  timestampFormat?: string;
}

export interface Operation {
  name: string;
  http?: { method?: string; requestUri?: string };
  input?: Shape;
  output?: Shape;
}

/** What the d.ts declares about a named type: an enum, a list, a map, a structure or another name. */
export type DeclaredType =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; member: string }
  | { kind: 'map'; value: string }
  | { kind: 'structure'; members: ReadonlyMap<string, string> }
  | { kind: 'alias'; target: string };

export interface ServiceModel {
  /** The model's `uid` (`codedeploy-2014-10-06`). */
  id: string;
  protocol: 'json' | 'rest-json' | 'rest-xml';
  targetPrefix?: string;
  operations: ReadonlyMap<string, Operation>;
  shapes: Readonly<Record<string, Shape>>;
  /** Named types of the d.ts, and each operation's output type name. */
  declared: ReadonlyMap<string, DeclaredType>;
  outputTypes: ReadonlyMap<string, string>;
}

interface MinModel {
  metadata: { uid: string; protocol: ServiceModel['protocol']; targetPrefix?: string };
  operations: Record<string, Omit<Operation, 'name'>>;
  shapes: Record<string, Shape>;
}

const require = createRequire(import.meta.url);

/** Loads `apis/<id>.min.json` and `clients/<client>.d.ts` of aws-sdk v2. */
export function loadModel(id: string, client: string): ServiceModel {
  const model = require(`aws-sdk/apis/${id}.min.json`) as MinModel;
  const root = dirname(require.resolve('aws-sdk/package.json'));
  const dts = readFileSync(join(root, 'clients', `${client}.d.ts`), 'utf8');
  return {
    id: model.metadata.uid,
    protocol: model.metadata.protocol,
    ...(model.metadata.targetPrefix ? { targetPrefix: model.metadata.targetPrefix } : {}),
    operations: new Map(Object.entries(model.operations).map(([name, op]) => [name, { name, ...op }])),
    shapes: model.shapes,
    declared: declaredTypes(dts),
    outputTypes: outputTypes(dts),
  };
}

/** The five services the local server speaks. */
export function loadServiceModels(): Record<
  'codedeploy' | 'codepipeline' | 'ecs' | 'lambda' | 's3',
  ServiceModel
> {
  return {
    codedeploy: loadModel('codedeploy-2014-10-06', 'codedeploy'),
    codepipeline: loadModel('codepipeline-2015-07-09', 'codepipeline'),
    ecs: loadModel('ecs-2014-11-13', 'ecs'),
    lambda: loadModel('lambda-2015-03-31', 'lambda'),
    s3: loadModel('s3-2006-03-01', 's3'),
  };
}

/** `shape` with its `shape` reference resolved (member attributes such as locationName kept). */
export function resolveShape(model: ServiceModel, shape: Shape): Shape {
  if (shape.shape === undefined) return shape;
  const target = model.shapes[shape.shape];
  if (target === undefined) throw new Error(`${model.id}: no shape ${shape.shape}`);
  const { shape: _reference, ...local } = shape;
  return { ...resolveShape(model, target), ...local };
}

/** The shape's type; a shape without one is a string in the minified models. */
export function typeOf(shape: Shape): NonNullable<Shape['type']> {
  return shape.type ?? 'string';
}

/** A d.ts type name with its aliases followed (`DeploymentsList` → list of `DeploymentId`). */
export function declaration(model: ServiceModel, name: string | undefined): DeclaredType | undefined {
  for (let current = name, hops = 0; current !== undefined && hops < 20; hops++) {
    const found = model.declared.get(current);
    if (found?.kind !== 'alias') return found;
    current = found.target;
  }
  return undefined;
}

function declaredTypes(dts: string): Map<string, DeclaredType> {
  const types = new Map<string, DeclaredType>();
  for (const [, name, body] of dts.matchAll(/^ {2}export type (\w+) = (.+);$/gm)) {
    if (name === undefined || body === undefined) continue;
    const literals = [...body.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    const list = /^(\w+)\[\]$/.exec(body);
    const map = /^\{\[key: string\]: (\w+)\}$/.exec(body);
    if (literals.length > 0 && /^("[^"]*"\|)+string$/.test(body))
      types.set(name, { kind: 'enum', values: literals });
    else if (list?.[1]) types.set(name, { kind: 'list', member: list[1] });
    else if (map?.[1]) types.set(name, { kind: 'map', value: map[1] });
    else if (/^\w+$/.test(body)) types.set(name, { kind: 'alias', target: body });
  }
  for (const [, name, body] of dts.matchAll(/^ {2}export interface (\w+) \{\n([\s\S]*?)^ {2}\}$/gm)) {
    if (name === undefined || body === undefined) continue;
    const members = new Map<string, string>();
    for (const [, member, type] of body.matchAll(/^ {4}(\w+)\??: (\w+);$/gm)) {
      if (member !== undefined && type !== undefined) members.set(member, type);
    }
    types.set(name, { kind: 'structure', members });
  }
  return types;
}

function outputTypes(dts: string): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const [, method, output] of dts.matchAll(
    /^ {2}(\w+)\((?:params: [\w.]+, )?callback\?: \(err: AWSError, data: \w+\.Types\.(\w+)\) => void\)/gm,
  )) {
    if (method === undefined || output === undefined) continue;
    outputs.set(method[0]?.toUpperCase() + method.slice(1), output);
  }
  return outputs;
}
