import { checkServiceHooks } from './hooks.js';
import type { YamlMap } from './located-yaml.js';
import { asString, childPath, describe, expectMap, findEntry, isNull, requireEntry } from './nodes.js';
import type { ProblemSink } from './problems.js';
import { didYouMean } from './suggest.js';

const SERVICE_KEYS = ['version', 'Resources', 'Hooks'];
const EC2_ONLY_KEYS = ['os', 'files', 'permissions', 'file_exists_behavior'];
const RESOURCE_TYPES = { lambda: 'AWS::Lambda::Function', ecs: 'AWS::ECS::Service' } as const;

/** The one resource of a Lambda or ECS AppSpec, once its shape is right. */
export interface ServiceResource {
  properties: YamlMap;
  /** Path of the Properties map, e.g. `Resources[0].TargetService.Properties`. */
  path: string;
}

/**
 * Checks what Lambda and ECS AppSpecs share: the top-level keys, `Resources` holding exactly one
 * named resource of the platform's type, and `Hooks`. Keys are matched case-insensitively because
 * the AWS documentation itself writes them both ways (`Resources` and `resources`).
 */
export function checkServiceAppspec(
  sink: ProblemSink,
  root: YamlMap,
  platform: 'lambda' | 'ecs',
): ServiceResource | undefined {
  for (const entry of root.entries) {
    const name = entry.name.toLowerCase();
    if (EC2_ONLY_KEYS.includes(name)) {
      sink.error(
        entry.key,
        entry.name,
        'key-not-for-platform',
        `"${entry.name}" is an EC2/on-premises key; ${platform === 'lambda' ? 'Lambda' : 'ECS'} AppSpecs cannot use it.`,
        `Remove ${entry.name}; ${platform} AppSpecs have only version, Resources and Hooks.`,
      );
    } else if (!SERVICE_KEYS.some((key) => key.toLowerCase() === name)) {
      sink.warn(
        entry.key,
        entry.name,
        'unknown-key',
        `Unknown key "${entry.name}" in the AppSpec file; CodeDeploy ignores it.`,
        () => `${didYouMean(entry.name, SERVICE_KEYS)}Known keys: ${SERVICE_KEYS.join(', ')}.`,
      );
    }
  }
  const hooks = findEntry(root, 'Hooks', true);
  if (hooks !== undefined) checkServiceHooks(sink, hooks.value, hooks.name, platform);
  return singleResource(sink, root, platform);
}

function singleResource(
  sink: ProblemSink,
  root: YamlMap,
  platform: 'lambda' | 'ecs',
): ServiceResource | undefined {
  const type = RESOURCE_TYPES[platform];
  const example =
    platform === 'lambda'
      ? 'Write "Resources:" then "  - myFunction:" with "Type: AWS::Lambda::Function" and Properties (Name, Alias, CurrentVersion, TargetVersion).'
      : 'Write "Resources:" then "  - TargetService:" with "Type: AWS::ECS::Service" and Properties (TaskDefinition, LoadBalancerInfo).';
  const entry = requireEntry(sink, root, 'Resources', '', example, true);
  if (entry === undefined) return undefined;
  const resources = entry.value;
  if (resources.kind !== 'seq') {
    sink.error(
      resources,
      entry.name,
      'wrong-type',
      `Resources must be a list with one item, not ${describe(resources)}.`,
      example,
    );
    return undefined;
  }
  if (resources.items.length !== 1) {
    sink.error(
      resources.items[1] ?? resources,
      entry.name,
      'resources-count',
      `Resources lists ${resources.items.length} resources; a ${platform} deployment takes exactly one.`,
      `Deploy one ${platform === 'lambda' ? 'function' : 'service'} per AppSpec; keep a single item.`,
    );
    if (resources.items.length === 0) return undefined;
  }
  const item = resources.items[0]!;
  const itemPath = childPath(entry.name, 0);
  if (item.kind !== 'map' || item.entries.length !== 1) {
    sink.error(
      item,
      itemPath,
      'resource-invalid',
      `The resource must be one name mapped to its definition, not ${item.kind === 'map' ? `${item.entries.length} keys` : describe(item)}.`,
      example,
    );
    return undefined;
  }
  const named = item.entries[0]!;
  const resourcePath = childPath(itemPath, named.name);
  const resource = expectMap(sink, named.value, resourcePath, example);
  if (resource === undefined) return undefined;
  for (const key of resource.entries) {
    if (['type', 'properties'].includes(key.name.toLowerCase())) continue;
    sink.warn(
      key.key,
      childPath(resourcePath, key.name),
      'unknown-key',
      `Unknown key "${key.name}" in the resource.`,
      `${didYouMean(key.name, ['Type', 'Properties'])}A resource has Type and Properties.`,
    );
  }
  const typeEntry = requireEntry(sink, resource, 'Type', resourcePath, `Add "Type: ${type}".`, true);
  if (typeEntry !== undefined) {
    const written = asString(typeEntry.value);
    if (written !== type) {
      const other = Object.entries(RESOURCE_TYPES).find(([, value]) => value === written)?.[0];
      sink.error(
        typeEntry.value,
        childPath(resourcePath, typeEntry.name),
        'resource-type-invalid',
        `Type is ${isNull(typeEntry.value) ? 'empty' : JSON.stringify(written ?? describe(typeEntry.value))}; a ${platform} AppSpec needs ${type}.`,
        other === undefined
          ? `Write "Type: ${type}" (case-sensitive).`
          : `This is a ${other} resource: deploy it with the ${other} compute platform, or write "Type: ${type}".`,
      );
    }
  }
  const propertiesEntry = requireEntry(sink, resource, 'Properties', resourcePath, example, true);
  if (propertiesEntry === undefined) return undefined;
  const path = childPath(resourcePath, propertiesEntry.name);
  const properties = expectMap(sink, propertiesEntry.value, path, example);
  return properties === undefined ? undefined : { properties, path };
}
