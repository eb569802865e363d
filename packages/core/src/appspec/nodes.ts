import type { YamlEntry, YamlMap, YamlNode, YamlScalar } from './located-yaml.js';
import type { ProblemSink } from './problems.js';
import { describeScalar } from './scalars.js';
import { didYouMean } from './suggest.js';

/** Appends a key or an index to a field path: `hooks` + `AfterInstall` -> `hooks.AfterInstall`. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** The last entry named `name` (keys are case-sensitive unless `caseInsensitive`). */
export function findEntry(map: YamlMap, name: string, caseInsensitive = false): YamlEntry | undefined {
  const wanted = caseInsensitive ? name.toLowerCase() : name;
  let found: YamlEntry | undefined;
  for (const entry of map.entries) {
    if ((caseInsensitive ? entry.name.toLowerCase() : entry.name) === wanted) found = entry;
  }
  return found;
}

export function isNull(node: YamlNode): boolean {
  return node.kind === 'scalar' && node.value.type === 'null';
}

/** A non-null scalar, or undefined. */
export function asScalar(node: YamlNode): YamlScalar | undefined {
  return node.kind === 'scalar' && node.value.type !== 'null' ? node : undefined;
}

/** The string value when the node is a string scalar (quoted, or plain text YAML 1.1 keeps a string). */
export function asString(node: YamlNode): string | undefined {
  return node.kind === 'scalar' && node.value.type === 'str' ? node.value.value : undefined;
}

/** How a node reads in a message: `the number 420`, `a list`, `a mapping`. */
export function describe(node: YamlNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  return describeScalar(node.value, node.text);
}

/** A value fit for messages: the text of a scalar, else its kind. */
export function shown(node: YamlNode): string {
  return node.kind === 'scalar' ? JSON.stringify(node.text) : describe(node);
}

/** Reports `wrong-type` and returns undefined unless the node is a mapping. */
export function expectMap(
  sink: ProblemSink,
  node: YamlNode,
  path: string,
  example: string,
): YamlMap | undefined {
  if (node.kind === 'map') return node;
  sink.error(
    node,
    path,
    'wrong-type',
    `${label(path)} must be a mapping (key: value pairs), not ${describe(node)}.`,
    example,
  );
  return undefined;
}

/** Reports `wrong-type` and returns the items unless the node is a list. */
export function expectList(
  sink: ProblemSink,
  node: YamlNode,
  path: string,
  example: string,
): YamlNode[] | undefined {
  if (node.kind === 'seq') return node.items;
  sink.error(
    node,
    path,
    'wrong-type',
    `${label(path)} must be a list (items starting with "- "), not ${describe(node)}.`,
    example,
  );
  return undefined;
}

/** Reports a required key missing from a map, located at the map. */
export function requireEntry(
  sink: ProblemSink,
  map: YamlMap,
  name: string,
  path: string,
  hint: string,
  caseInsensitive = false,
): YamlEntry | undefined {
  const entry = findEntry(map, name, caseInsensitive);
  if (entry === undefined) {
    sink.error(map, childPath(path, name), 'required-key-missing', `${label(path)} has no "${name}".`, hint);
    return undefined;
  }
  if (isNull(entry.value)) {
    sink.error(entry.value, childPath(path, name), 'required-value-missing', `"${name}" is empty.`, hint);
    return undefined;
  }
  return entry;
}

/** Warns (or errs) about keys not in `allowed`, suggesting the closest allowed key. */
export function checkKnownKeys(
  sink: ProblemSink,
  map: YamlMap,
  allowed: readonly string[],
  path: string,
  options: { caseInsensitive?: boolean; ignoredBy: string },
): void {
  // Called for every item of long lists; the allowed keys are a handful, so a scan beats building a Set.
  const known = options.caseInsensitive ? allowed.map((key) => key.toLowerCase()) : allowed;
  for (const entry of map.entries) {
    const name = options.caseInsensitive ? entry.name.toLowerCase() : entry.name;
    if (known.includes(name)) continue;
    sink.warn(
      entry.key,
      childPath(path, entry.name),
      'unknown-key',
      `Unknown key "${entry.name}" in ${path === '' ? 'the AppSpec file' : path}; ${options.ignoredBy} ignores it.`,
      () => `${didYouMean(entry.name, allowed)}Known keys here: ${allowed.join(', ')}.`,
    );
  }
}

function label(path: string): string {
  return path === '' ? 'The AppSpec file' : `"${path}"`;
}
