import type { YamlMap, YamlNode } from './located-yaml.js';
import { asString, describe, findEntry } from './nodes.js';
import type { ProblemSink } from './problems.js';
import type { ComputePlatform } from './types.js';

/**
 * The platform an AppSpec is written for, from its `Resources` type: a Lambda function or an ECS
 * service; anything else is an EC2/on-premises (server) AppSpec.
 */
export function detectPlatform(root: YamlNode | undefined): ComputePlatform {
  if (root?.kind !== 'map') return 'server';
  const resources = findEntry(root, 'Resources', true)?.value;
  if (resources?.kind !== 'seq') return 'server';
  for (const item of resources.items) {
    if (item.kind !== 'map') continue;
    for (const { value } of item.entries) {
      if (value.kind !== 'map') continue;
      const type = findEntry(value, 'Type', true)?.value;
      const name = type === undefined ? undefined : asString(type);
      if (name === 'AWS::Lambda::Function') return 'lambda';
      if (name === 'AWS::ECS::Service') return 'ecs';
    }
  }
  return 'server';
}

/**
 * `version` must load as the number 0.0. The agent checks `[0.0].include?(version)`, so the quoted
 * string "0.0" fails the deployment while the integer 0 passes (Ruby: 0.0 == 0).
 */
export function checkVersion(sink: ProblemSink, root: YamlMap, platform: ComputePlatform): void {
  const entry = findEntry(root, 'version', platform !== 'server');
  const fix = 'Write exactly "version: 0.0" (unquoted) at the top level of the AppSpec file.';
  if (entry === undefined) {
    sink.error(root, 'version', 'version-missing', 'The AppSpec file has no "version".', fix);
    return;
  }
  const node = entry.value;
  const value = node.kind === 'scalar' ? node.value : undefined;
  if (value?.type === 'float' && value.value === 0) return;
  if (value?.type === 'int' && value.value === 0) {
    sink.warn(
      node,
      'version',
      'version-not-float',
      `version is the integer 0, not 0.0 (written ${node.kind === 'scalar' ? node.text : ''}).`,
      fix,
    );
    return;
  }
  if (
    value?.type === 'str' &&
    node.kind === 'scalar' &&
    node.style !== 'plain' &&
    /^(0?\.0+|0\.0*)$/.test(value.value.trim())
  ) {
    const onServer = platform === 'server';
    sink.add(
      onServer ? 'error' : 'warning',
      node,
      'version',
      'version-quoted',
      `version is the quoted string ${JSON.stringify(value.value)}, but it must be the number 0.0${onServer ? '; the CodeDeploy agent rejects the string ("invalid version value")' : ''}.`,
      'Remove the quotes: write version: 0.0 (YAML) or "version": 0.0 (JSON).',
    );
    return;
  }
  sink.error(
    node,
    'version',
    'version-invalid',
    `version is ${describe(node)}; the only supported version is 0.0.`,
    fix,
  );
}
