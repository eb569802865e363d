import type {
  ContinueDeploymentInput,
  StopDeploymentInput,
  StopDeploymentOutput,
} from '@aws-sdk/client-codedeploy';
import { isActive, MESSAGES } from '../engine/index.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
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
    throw codeDeployError('DeploymentAlreadyCompletedException');
  }
  await context.engine.stop(input.deploymentId!, input.autoRollbackEnabled);
  return { status: 'Succeeded', statusMessage: MESSAGES.STOP_SUCCEEDED };
}

/**
 * ContinueDeployment ends a blue/green wait of an ECS deployment: READY_WAIT (the default) starts
 * production traffic of a Ready deployment, TERMINATION_WAIT deletes the original task set now.
 * In-place and Lambda deployments have no such waits.
 */
export function continueDeployment(
  input: ContinueDeploymentInput,
  context: OperationContext,
): Record<string, never> {
  const record = requireDeployment(context, input.deploymentId);
  const waitType = input.deploymentWaitType ?? 'READY_WAIT';
  if (record.info.computePlatform !== 'ECS') {
    throw codeDeployError(
      'UnsupportedActionForDeploymentTypeException',
      `ContinueDeployment applies to blue/green deployments on the ECS compute platform; ${input.deploymentId} is a ${record.info.computePlatform ?? 'Server'} deployment.`,
    );
  }
  if (!isActive(record.info)) {
    throw codeDeployError('DeploymentAlreadyCompletedException');
  }
  context.engine.continue(input.deploymentId!, waitType);
  return {};
}
