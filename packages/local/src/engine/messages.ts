/**
 * Texts the service reports. Sources: user guide error-codes.md (HEALTH_CONSTRAINTS,
 * HEALTH_CONSTRAINTS_INVALID, NO_INSTANCES, as seen verbatim in users' reports), the CLI
 * stop-deployment example, a public lab log for the rollback messages, the agent's FailedAfterRestart
 * text, and the ECS troubleshooting guide for the hook and ready-wait texts. MANUAL_STOP's message,
 * the "no rollback target" and "nothing to roll back" messages and NO_COMPUTE were not found in any
 * public output (the API reference only says rollbackMessage tells "whether the deployment can't be
 * rolled back"); they are local wordings.
 */
export const MESSAGES = {
  HEALTH_CONSTRAINTS:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.',
  HEALTH_CONSTRAINTS_INVALID:
    "The deployment can't start because the minimum number of healthy instances, as defined by your deployment configuration, are not available.",
  NO_INSTANCES:
    'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your Amazon EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.',
  MANUAL_STOP: 'The deployment was stopped by the user.',
  INTERRUPTED:
    'The deployment was interrupted because the local CodeDeploy restarted while it was in progress.',
  STOP_SUCCEEDED: 'No more commands will be scheduled for execution in the deployment instances',
  AGENT_RESTART: 'Failed: Failing in-progress lifecycle event after an agent restart.',
  HOOK_FAILED:
    'The deployment failed because one or more of the lifecycle event validation functions failed.',
  HOOK_TIMED_OUT:
    'The deployment timed out while waiting for a status callback. CodeDeploy expects a status callback within one hour after a deployment hook is invoked.',
  NO_COMPUTE:
    'The local CodeDeploy runs Lambda and ECS deployments only when it is started with its local Lambda and ECS (startLocalCodeDeploy does this).',
} as const;

/** ECS troubleshooting guide: the deployment was not continued within the group's ready wait time. */
export function readyWaitTimedOutMessage(minutes: number): string {
  return `The deployment timed out while waiting for a notification to continue. This time out period is ${minutes} minutes.`;
}

export function rollbackTriggeredMessage(deploymentId: string, rollbackId: string): string {
  return `Deployment ${deploymentId} terminated. Automatic rollback is triggered with a DeploymentId ${rollbackId}.`;
}

export function rollbackOfMessage(rollbackId: string, deploymentId: string): string {
  return `Deployment ${rollbackId} is triggered to roll back deployment ${deploymentId}.`;
}

export const NO_ROLLBACK_TARGET =
  'Automatic rollback was not performed because the deployment group has no last successful revision to roll back to.';

/**
 * A Lambda or ECS deployment that ended before it moved the alias or created the replacement task
 * set (a failed check, a stop while Created): a rollback would move traffic it never touched.
 */
export const NOTHING_TO_ROLL_BACK =
  'Automatic rollback was not performed because the deployment ended before it shifted any traffic: the alias or the service is as it was.';
