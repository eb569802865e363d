import type {
  ECSClient,
  KeyValuePair,
  RegisterTaskDefinitionRequest,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describeTaskDefinition } from '../ecs/ecs-calls.js';
import { prepareEcsRevision } from '../ecs/ecs-revision.js';
import type { EcsRevisionSource } from '../gate/revision-source.js';
import type { ComputeChange, SettingChange } from './model.js';
import { nameChanges, valueChange } from './setting-changes.js';

/**
 * The service's current task definition → the one `deploy` would register, and the load balancer's
 * container and port: read with the same checks as `deploy`, nothing registered.
 */
export async function ecsChange(
  source: EcsRevisionSource,
  clients: { ecs: ECSClient; lambda?: LambdaClient | undefined },
  groupServices: Parameters<typeof prepareEcsRevision>[1]['groupServices'],
  signal: AbortSignal | undefined,
  onCheck: (detail: string) => void,
): Promise<ComputeChange> {
  const prepared = await prepareEcsRevision(source, { ...clients, groupServices, signal, onCheck });
  const current = prepared.current
    ? (await describeTaskDefinition(clients.ecs, prepared.current, signal)).taskDefinition
    : undefined;
  const short = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
  return {
    kind: 'ecs',
    target: `${prepared.cluster}/${prepared.service}`,
    from: prepared.current ? short(prepared.current) : 'no task definition',
    to: `a new revision of ${prepared.family} (from ${prepared.from})`,
    changes: taskDefinitionChanges(current ?? {}, prepared.input),
    loadBalancer: `${prepared.traffic.containerName}:${prepared.traffic.containerPort}`,
  };
}

/** Task cpu/memory, then per container: added, removed, image, cpu, memory, environment names, ports. */
export function taskDefinitionChanges(
  current: TaskDefinition | RegisterTaskDefinitionRequest,
  next: RegisterTaskDefinitionRequest,
): SettingChange[] {
  const changes: SettingChange[] = [];
  valueChange(changes, 'task cpu', current.cpu, next.cpu);
  valueChange(changes, 'task memory', current.memory, next.memory);
  const before = new Map((current.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const after = new Map((next.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const ports = (mappings: { containerPort?: number; protocol?: string }[] | undefined) =>
    (mappings ?? []).map((m) => `${m.containerPort}/${m.protocol ?? 'tcp'}`).join(', ') || undefined;
  const environment = (pairs: KeyValuePair[] | undefined) =>
    Object.fromEntries((pairs ?? []).map((pair) => [pair.name ?? '', pair.value ?? '']));
  for (const [name, container] of after) {
    const old = before.get(name);
    if (old === undefined) {
      changes.push({
        subject: `container ${name}`,
        change: 'added',
        detail: `image ${container.image ?? '?'}`,
      });
      continue;
    }
    valueChange(changes, `container ${name} image`, old.image, container.image);
    valueChange(changes, `container ${name} cpu`, old.cpu, container.cpu);
    valueChange(changes, `container ${name} memory`, old.memory, container.memory);
    valueChange(changes, `container ${name} ports`, ports(old.portMappings), ports(container.portMappings));
    nameChanges(
      changes,
      `container ${name} environment`,
      environment(old.environment),
      environment(container.environment),
    );
  }
  for (const name of before.keys()) {
    if (!after.has(name))
      changes.push({ subject: `container ${name}`, change: 'removed', detail: 'container removed' });
  }
  return changes;
}
