import {
  type CodeDeployClient,
  ContinueDeploymentCommand,
  type DeploymentInfo,
  type DeploymentWaitType,
} from '@aws-sdk/client-codedeploy';
import { wrapAwsError } from '../errors/index.js';

/*
 * The blue/green waits CodeDeploy holds a deployment in until ContinueDeployment (or the wait time)
 * lets it go on: READY_WAIT (`Ready`: the replacement is installed and, for ECS, takes test traffic;
 * production has not moved) and TERMINATION_WAIT (production is on the replacement; the original is
 * kept until the wait ends). Every front end reads and answers them the same way.
 */

/** What each wait means, for the lines a log shows while the gate is in it. */
export const WAIT_MEANING: Record<DeploymentWaitType, string> = {
  READY_WAIT: 'the new version is installed; production traffic has not moved to it yet',
  TERMINATION_WAIT: 'production traffic is on the new version; the original is kept until the wait ends',
};

export const CONTINUE_MEANING: Record<DeploymentWaitType, string> = {
  READY_WAIT: 'production traffic may move to the new version',
  TERMINATION_WAIT: 'the original is released now',
};

/** Which ContinueDeployment wait the deployment is in, if any. */
export function waitTypeOf(deployment: DeploymentInfo): DeploymentWaitType | undefined {
  if (deployment.status === 'Ready') return 'READY_WAIT';
  if (deployment.status === 'InProgress' && deployment.instanceTerminationWaitTimeStarted === true) {
    return 'TERMINATION_WAIT';
  }
  return undefined;
}

/**
 * ContinueDeployment; `false` when the wait had already ended on its own (a short termination wait
 * can run out while the check runs): the deployment went on without us, which is what we wanted.
 */
export async function continueDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  waitType: DeploymentWaitType,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await client.send(
      new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: waitType }),
      signal ? { abortSignal: signal } : {},
    );
    return true;
  } catch (error) {
    if (WAIT_ALREADY_OVER.has((error as Error).name)) return false;
    throw wrapAwsError(`continuing deployment ${deploymentId} (${waitType})`, error);
  }
}

const WAIT_ALREADY_OVER = new Set([
  'DeploymentAlreadyCompletedException',
  'DeploymentIsNotInReadyStateException',
  'InvalidDeploymentStatusException',
]);
