import {
  type AutoRollbackConfiguration,
  BatchGetDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentGroupInfo,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { wrapAwsError } from '../errors/index.js';
import type { Safeguards } from './model.js';

/** Recent successful deployments the expected duration is the median of. */
const HISTORY = 5;

/**
 * Automatic rollback (the deployment's override, else the group's), the alarms the group watches,
 * and the expected duration: the median of the group's last successful deployments.
 */
export async function safeguardsOf(
  client: CodeDeployClient,
  group: DeploymentGroupInfo,
  override: AutoRollbackConfiguration | undefined,
  signal: AbortSignal | undefined,
): Promise<Safeguards> {
  const rollback = override ?? group.autoRollbackConfiguration;
  const alarms = group.alarmConfiguration?.enabled
    ? (group.alarmConfiguration.alarms ?? []).map((alarm) => alarm.name ?? '')
    : [];
  const durations = await recentDurations(client, group, signal);
  return {
    autoRollback: rollback?.enabled ? `on ${(rollback.events ?? []).join(', ') || 'no event'}` : 'disabled',
    alarms,
    ...(durations.length > 0
      ? { expectedDurationMs: median(durations), durationFrom: durations.length }
      : {}),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function recentDurations(
  client: CodeDeployClient,
  group: DeploymentGroupInfo,
  signal: AbortSignal | undefined,
): Promise<number[]> {
  const send = signal ? { abortSignal: signal } : {};
  try {
    const { deployments } = await client.send(
      new ListDeploymentsCommand({
        applicationName: group.applicationName,
        deploymentGroupName: group.deploymentGroupName,
        includeOnlyStatuses: ['Succeeded'],
      }),
      send,
    );
    const ids = (deployments ?? []).slice(0, 25);
    if (ids.length === 0) return [];
    const { deploymentsInfo } = await client.send(
      new BatchGetDeploymentsCommand({ deploymentIds: ids }),
      send,
    );
    return (deploymentsInfo ?? [])
      .filter((info) => info.createTime && info.completeTime)
      .sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0))
      .slice(0, HISTORY)
      .map((info) => (info.completeTime?.getTime() ?? 0) - (info.createTime?.getTime() ?? 0));
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(
      `reading the recent deployments of ${group.applicationName}/${group.deploymentGroupName}`,
      error,
    );
  }
}
