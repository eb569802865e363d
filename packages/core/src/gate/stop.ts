import { type CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';

export interface StopResult {
  /** Succeeded: no more lifecycle events will run. Pending: some still are, the stop follows. */
  status: 'Succeeded' | 'Pending' | 'AlreadyCompleted';
  message: string;
}

/**
 * StopDeployment, with `rollback` asking CodeDeploy to redeploy the last good revision afterwards. A
 * deployment that ended meanwhile is not an error: there is nothing left to stop.
 */
export async function stopDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  options: { rollback: boolean; signal?: AbortSignal | undefined },
): Promise<StopResult> {
  try {
    const answer = await client.send(
      new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: options.rollback }),
      options.signal ? { abortSignal: options.signal } : {},
    );
    return {
      status: answer.status === 'Pending' ? 'Pending' : 'Succeeded',
      message: answer.statusMessage ?? '',
    };
  } catch (error) {
    if ((error as Error).name === 'DeploymentAlreadyCompletedException') {
      return { status: 'AlreadyCompleted', message: (error as Error).message };
    }
    if ((error as Error).name === 'DeploymentDoesNotExistException') {
      throw new InvalidInputError(`deployment ${deploymentId} does not exist`, {
        hint: 'Check the id and the region (--region, AWS_REGION): deployments are regional.',
        cause: error,
      });
    }
    throw wrapAwsError(`stopping deployment ${deploymentId}`, error);
  }
}
