import {
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentTarget,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';

/** Statuses after which a deployment never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

/** Target statuses after which a target never changes again (within one deployment). */
export const TERMINAL_TARGET_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Skipped']);

/** BatchGetDeploymentTargets takes at most 25 ids (the model's documented limit). */
const TARGET_BATCH = 25;

export interface ReadOptions {
  signal?: AbortSignal | undefined;
  /** Called once per API call made (before it is sent), for the watch's call budget. */
  onCall?: ((operation: string) => void) | undefined;
}

export async function getDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  { signal, onCall }: ReadOptions = {},
): Promise<DeploymentInfo> {
  try {
    onCall?.('GetDeployment');
    const { deploymentInfo } = await client.send(
      new GetDeploymentCommand({ deploymentId }),
      signal ? { abortSignal: signal } : {},
    );
    if (!deploymentInfo) throw new Error('GetDeployment returned no deploymentInfo');
    return deploymentInfo;
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'DeploymentDoesNotExistException') {
      throw new InvalidInputError(`deployment ${deploymentId} does not exist`, {
        hint: 'Check the id and the region (--region, AWS_REGION): deployments are regional.',
        cause: error,
      });
    }
    throw wrapAwsError(`reading deployment ${deploymentId}`, error);
  }
}

/** The ids of a deployment's targets; empty before the deployment has started. */
export async function listTargetIds(
  client: CodeDeployClient,
  deploymentId: string,
  { signal, onCall }: ReadOptions = {},
): Promise<string[]> {
  const options = signal ? { abortSignal: signal } : {};
  const ids: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      onCall?.('ListDeploymentTargets');
      const page = await client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }), options);
      ids.push(...(page.targetIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    signal?.throwIfAborted();
    // Targets are listed only once the deployment starts; before that there is nothing to show.
    if ((error as Error).name === 'DeploymentNotStartedException') return [];
    throw wrapAwsError(`listing the targets of deployment ${deploymentId}`, error);
  }
  return ids;
}

/** The given targets, 25 per call as BatchGetDeploymentTargets allows. */
export async function getTargets(
  client: CodeDeployClient,
  deploymentId: string,
  targetIds: readonly string[],
  { signal, onCall }: ReadOptions = {},
): Promise<DeploymentTarget[]> {
  const options = signal ? { abortSignal: signal } : {};
  const targets: DeploymentTarget[] = [];
  try {
    for (let i = 0; i < targetIds.length; i += TARGET_BATCH) {
      onCall?.('BatchGetDeploymentTargets');
      const batch = await client.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId,
          targetIds: targetIds.slice(i, i + TARGET_BATCH),
        }),
        options,
      );
      targets.push(...(batch.deploymentTargets ?? []));
    }
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'DeploymentNotStartedException') return [];
    throw wrapAwsError(`reading the targets of deployment ${deploymentId}`, error);
  }
  return targets;
}

/** Every target of a deployment. */
export async function listTargets(
  client: CodeDeployClient,
  deploymentId: string,
  options: ReadOptions = {},
): Promise<DeploymentTarget[]> {
  return getTargets(client, deploymentId, await listTargetIds(client, deploymentId, options), options);
}

/** The id any target type carries. */
export function targetIdOf(target: DeploymentTarget): string {
  return (
    target.instanceTarget?.targetId ??
    target.lambdaTarget?.targetId ??
    target.ecsTarget?.targetId ??
    target.cloudFormationTarget?.targetId ??
    '?'
  );
}

/** The status any target type carries. */
export function targetStatusOf(target: DeploymentTarget): string {
  return (
    target.instanceTarget?.status ??
    target.lambdaTarget?.status ??
    target.ecsTarget?.status ??
    target.cloudFormationTarget?.status ??
    'Unknown'
  );
}

/** Lifecycle events of any target type. */
export function lifecycleEventsOf(target: DeploymentTarget) {
  return (
    target.instanceTarget?.lifecycleEvents ??
    target.lambdaTarget?.lifecycleEvents ??
    target.ecsTarget?.lifecycleEvents ??
    target.cloudFormationTarget?.lifecycleEvents ??
    []
  );
}
