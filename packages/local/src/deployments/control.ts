import type {
  ContinueDeploymentInput,
  StopDeploymentInput,
  StopDeploymentOutput,
} from '@aws-sdk/client-codedeploy';
import { isActive, MESSAGES } from '../engine/index.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';
import type { OperationContext } from '../wire/operation.js';
import { requireDeployment } from './lookup.js';

/**
 * StopDeployment: the engine aborts running hooks and marks the deployment Stopped (MANUAL_STOP),
 * rolling back when asked. It answers once no more commands will run, so always "Succeeded".
 */
export async function stopDeployment(
  input: StopDeploymentInput,
  context: OperationContext,
): Promise<StopDeploymentOutput> {
  const record = requireDeployment(context, input.deploymentId);
  if (!isActive(record.info)) {
    throw new CodeDeployError(
      'DeploymentAlreadyCompletedException',
      `The deployment ${input.deploymentId} is already complete.`,
    );
  }
  await context.engine.stop(input.deploymentId!, input.autoRollbackEnabled);
  return { status: 'Succeeded', statusMessage: MESSAGES.STOP_SUCCEEDED };
}

/** ContinueDeployment resumes blue/green waits; an in-place deployment is never Ready. */
export function continueDeployment(
  input: ContinueDeploymentInput,
  context: OperationContext,
): Record<string, never> {
  const record = requireDeployment(context, input.deploymentId);
  if (
    input.deploymentWaitType !== undefined &&
    !['READY_WAIT', 'TERMINATION_WAIT'].includes(input.deploymentWaitType)
  ) {
    throw new CodeDeployError(
      'InvalidDeploymentWaitTypeException',
      `The wait type is invalid: ${input.deploymentWaitType}`,
    );
  }
  if (!isActive(record.info)) {
    throw new CodeDeployError(
      'DeploymentAlreadyCompletedException',
      `The deployment ${input.deploymentId} is already complete.`,
    );
  }
  context.engine.continue(input.deploymentId!);
  return {};
}
