import type {
  PutLifecycleEventHookExecutionStatusInput,
  PutLifecycleEventHookExecutionStatusOutput,
} from '@aws-sdk/client-codedeploy';
import { trafficOf } from '../engine/index.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { requireDeployment } from './lookup.js';

/**
 * PutLifecycleEventHookExecutionStatus: a hook function reports Succeeded or Failed for the lifecycle
 * event it was invoked for, with the lifecycleEventHookExecutionId CodeDeploy gave it. Each execution
 * takes one report; once the event completed (reported, timed out, or the deployment ended) another
 * report is LifecycleEventAlreadyCompletedException.
 */
export function putLifecycleEventHookExecutionStatus(
  input: PutLifecycleEventHookExecutionStatusInput,
  context: OperationContext,
): PutLifecycleEventHookExecutionStatusOutput {
  const record = requireDeployment(context, input.deploymentId);
  const traffic = trafficOf(record);
  if (!traffic) {
    throw codeDeployError(
      'UnsupportedActionForDeploymentTypeException',
      `Lifecycle hook functions report to Lambda and ECS deployments; ${input.deploymentId} is an EC2/On-premises deployment.`,
    );
  }
  const id = input.lifecycleEventHookExecutionId;
  const execution = id ? traffic.hookExecutions[id] : undefined;
  if (!id || !execution) {
    throw codeDeployError(
      'InvalidLifecycleEventHookExecutionIdException',
      `The lifecycle event hook execution ID ${id ? 'is not one of this deployment' : 'was not specified'}. Pass the LifecycleEventHookExecutionId of the event CodeDeploy invoked the hook function with.`,
    );
  }
  if (execution.status !== 'InProgress') {
    throw codeDeployError(
      'LifecycleEventAlreadyCompletedException',
      `The ${execution.lifecycleEventName} lifecycle event of deployment ${input.deploymentId} has already completed (${execution.status}).`,
    );
  }
  const status = input.status;
  if (status !== 'Succeeded' && status !== 'Failed') {
    throw codeDeployError(
      'InvalidLifecycleEventHookExecutionStatusException',
      `The status ${status ?? '(none)'} is invalid: a hook reports Succeeded or Failed.`,
    );
  }
  context.engine.reportHookExecution(input.deploymentId!, id, status);
  return { lifecycleEventHookExecutionId: id };
}
