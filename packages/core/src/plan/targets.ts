import {
  BatchGetDeploymentTargetsCommand,
  BatchGetOnPremisesInstancesCommand,
  type CodeDeployClient,
  type DeploymentGroupInfo,
  type InstanceInfo,
  ListDeploymentTargetsCommand,
  ListOnPremisesInstancesCommand,
  type RegistrationStatus,
} from '@aws-sdk/client-codedeploy';
import { wrapAwsError } from '../errors/index.js';
import { groupTagsMatch } from './instance-selection.js';
import type { InstanceStanding, OfflineInstance, PlannedTarget } from './model.js';

/** BatchGetDeploymentTargets and BatchGetOnPremisesInstances take at most this many names. */
const TARGET_BATCH = 25;
const INSTANCE_BATCH = 100;

export interface GroupTargets {
  targets: PlannedTarget[];
  /** Deregistered on-premises instances the group's tags still match: the deployment skips them. */
  offline: OfflineInstance[];
  /** Where the list came from, for the reader. */
  source: string;
}

/**
 * The instances a deployment to the group would target, each with its standing in the scheduling
 * order. On-premises groups are resolved from their tag filters as CodeDeploy does. EC2 tag and Auto
 * Scaling groups need EC2 and Auto Scaling reads this tool does not make: their list is the last
 * deployment's instances, and the plan says so.
 */
export async function groupTargets(
  client: CodeDeployClient,
  group: DeploymentGroupInfo,
  signal: AbortSignal | undefined,
): Promise<GroupTargets> {
  const send = signal ? { abortSignal: signal } : {};
  const name = `${group.applicationName}/${group.deploymentGroupName}`;
  try {
    const succeeded = await targetStatuses(client, group.lastSuccessfulDeployment?.deploymentId, send);
    const attemptedId = group.lastAttemptedDeployment?.deploymentId;
    const attempted =
      attemptedId && attemptedId !== group.lastSuccessfulDeployment?.deploymentId
        ? await targetStatuses(client, attemptedId, send)
        : new Map<string, string>();
    const onPremises = usesOnPremisesTags(group);
    const ids = onPremises
      ? (await onPremisesInstances(client, group, 'Registered', send)).map((info) => info.instanceName ?? '')
      : [...new Set([...succeeded.keys(), ...attempted.keys()])].sort();
    const targets = ids.map((id) => ({ id, standing: standingOf(id, succeeded, attempted) }));
    const offline = onPremises
      ? (await onPremisesInstances(client, group, 'Deregistered', send)).map((info) => ({
          id: info.instanceName ?? '',
          ...(info.deregisterTime ? { deregisteredAt: info.deregisterTime.toISOString() } : {}),
        }))
      : [];
    return {
      targets,
      offline,
      source: onPremises
        ? 'registered on-premises instances matching the group’s tags'
        : 'the instances of the group’s last deployments (EC2 tags and Auto Scaling groups are resolved by CodeDeploy when it deploys)',
    };
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`listing the instances of ${name}`, error);
  }
}

/**
 * An instance's standing from the group's last deployments: failed in the last attempt, or in the
 * last successful deployment itself → unhealthy; holding the last successful deployment's revision →
 * current; given another revision since (a later deployment that failed elsewhere) or skipped by it
 * → old; otherwise the tool cannot tell which revision it holds → unknown.
 */
export function standingOf(
  id: string,
  lastSuccessful: ReadonlyMap<string, string>,
  lastAttempted: ReadonlyMap<string, string>,
): InstanceStanding {
  const attempted = lastAttempted.get(id);
  if (attempted === 'Failed') return 'unhealthy';
  const status = lastSuccessful.get(id);
  if (status === 'Failed') return attempted === 'Succeeded' ? 'old' : 'unhealthy';
  if (status === 'Succeeded') return attempted === 'Succeeded' ? 'old' : 'current';
  if (status === 'Skipped') return 'old';
  return 'unknown';
}

function usesOnPremisesTags(group: DeploymentGroupInfo): boolean {
  const sets = group.onPremisesTagSet?.onPremisesTagSetList?.filter((set) => set.length > 0) ?? [];
  return sets.length > 0 || (group.onPremisesInstanceTagFilters ?? []).length > 0;
}

/** The on-premises instances of one registration status whose tags match the group, sorted by name. */
async function onPremisesInstances(
  client: CodeDeployClient,
  group: DeploymentGroupInfo,
  registrationStatus: RegistrationStatus,
  send: { abortSignal?: AbortSignal },
): Promise<InstanceInfo[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListOnPremisesInstancesCommand({ registrationStatus, ...(nextToken ? { nextToken } : {}) }),
      send,
    );
    names.push(...(page.instanceNames ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const selected: InstanceInfo[] = [];
  for (let i = 0; i < names.length; i += INSTANCE_BATCH) {
    const { instanceInfos } = await client.send(
      new BatchGetOnPremisesInstancesCommand({ instanceNames: names.slice(i, i + INSTANCE_BATCH) }),
      send,
    );
    for (const info of instanceInfos ?? []) {
      if (info.instanceName && groupTagsMatch(group, info)) selected.push(info);
    }
  }
  return selected.sort((a, b) => ((a.instanceName ?? '') < (b.instanceName ?? '') ? -1 : 1));
}

/** Each instance target of a deployment with its status; empty without a deployment. */
async function targetStatuses(
  client: CodeDeployClient,
  deploymentId: string | undefined,
  send: { abortSignal?: AbortSignal },
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  if (!deploymentId) return statuses;
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentTargetsCommand({ deploymentId, ...(nextToken ? { nextToken } : {}) }),
      send,
    );
    ids.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  for (let i = 0; i < ids.length; i += TARGET_BATCH) {
    const { deploymentTargets } = await client.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(i, i + TARGET_BATCH) }),
      send,
    );
    for (const target of deploymentTargets ?? []) {
      const instance = target.instanceTarget;
      if (instance?.targetId) statuses.set(instance.targetId, instance.status ?? 'Unknown');
    }
  }
  return statuses;
}
