import { createHash } from 'node:crypto';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaRevisionSource } from '../gate/revision-source.js';
import { functionConfiguration } from '../lambda/lambda-calls.js';
import { prepareLambdaRevision } from '../lambda/lambda-revision.js';
import type { ComputeChange, SettingChange } from './model.js';
import { nameChanges, valueChange } from './setting-changes.js';

/**
 * Alias `live` on version N → the version it would shift to, and what differs between them: read
 * with the same checks as `deploy` (function, alias not mid-shift, target version, hook functions),
 * and nothing published or updated. A version still to be published is described by $LATEST's
 * configuration and, with a code package, the package's hash.
 */
export async function lambdaChange(
  source: LambdaRevisionSource,
  lambda: LambdaClient,
  signal: AbortSignal | undefined,
  onCheck: (detail: string) => void,
): Promise<ComputeChange> {
  const prepared = await prepareLambdaRevision(source, { lambda, signal, onCheck });
  const current =
    (await functionConfiguration(lambda, source.functionName, prepared.currentVersion, signal)) ?? {};
  const next = prepared.target ?? prepared.latest;
  const changes = functionChanges(current, next);
  const codeSha256 = prepared.zip
    ? createHash('sha256').update(prepared.zip).digest('base64')
    : next.CodeSha256;
  if (codeSha256 !== current.CodeSha256) {
    changes.unshift({
      subject: 'code',
      change: 'changed',
      detail: `sha256 ${current.CodeSha256 ?? '?'} → ${codeSha256 ?? '?'}${source.zipFile ? ` (${source.zipFile})` : ''}`,
    });
  }
  return {
    kind: 'lambda',
    target: `${source.functionName}:${source.alias}`,
    from: `version ${prepared.currentVersion}`,
    to: prepared.target
      ? `version ${source.targetVersion}`
      : source.zipFile
        ? `a version published from ${source.zipFile}`
        : 'a version published from $LATEST',
    changes,
  };
}

/** Runtime, handler, memory, timeout, environment variable names and layers: values of variables never. */
export function functionChanges(
  current: FunctionConfiguration,
  next: FunctionConfiguration,
): SettingChange[] {
  const changes: SettingChange[] = [];
  valueChange(changes, 'runtime', current.Runtime, next.Runtime);
  valueChange(changes, 'handler', current.Handler, next.Handler);
  valueChange(changes, 'memory (MB)', current.MemorySize, next.MemorySize);
  valueChange(changes, 'timeout (s)', current.Timeout, next.Timeout);
  nameChanges(changes, 'environment', current.Environment?.Variables, next.Environment?.Variables);
  const layers = (config: FunctionConfiguration) => (config.Layers ?? []).map((layer) => layer.Arn ?? '');
  for (const arn of layers(next)) {
    if (!layers(current).includes(arn))
      changes.push({ subject: `layer ${arn}`, change: 'added', detail: 'layer added' });
  }
  for (const arn of layers(current)) {
    if (!layers(next).includes(arn))
      changes.push({ subject: `layer ${arn}`, change: 'removed', detail: 'layer removed' });
  }
  return changes;
}
