import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { DeploymentRecord } from '../state/index.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';
import type { OperationContext } from '../wire/operation.js';

const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

/** DeploymentIdRequired / InvalidDeploymentId / DeploymentDoesNotExist, in the service's order. */
export function requireDeployment(context: OperationContext, deploymentId: unknown): DeploymentRecord {
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    throw new CodeDeployError(
      'DeploymentIdRequiredException',
      'At least one deployment ID must be specified.',
    );
  }
  if (!DEPLOYMENT_ID.test(deploymentId)) {
    throw new CodeDeployError(
      'InvalidDeploymentIdException',
      `Specified DeploymentId is not in the valid format: ${deploymentId}`,
    );
  }
  const record = context.store.state.deployments[deploymentId];
  if (!record)
    throw new CodeDeployError(
      'DeploymentDoesNotExistException',
      `The deployment ${deploymentId} could not be found.`,
    );
  return record;
}

export function isDeploymentId(value: unknown): value is string {
  return typeof value === 'string' && DEPLOYMENT_ID.test(value);
}

/** Target and instance operations answer DeploymentNotStartedException until the deployment runs. */
export function requireStarted(record: DeploymentRecord): void {
  if (record.info.status === 'Created' || record.info.status === 'Queued') {
    throw new CodeDeployError('DeploymentNotStartedException', 'The specified deployment has not started');
  }
}

/** Handlers answer copies, so a response never changes under the wire layer while the engine runs. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/**
 * DeploymentInfo as the service answers it: "The content property of the appSpecContent object in the
 * returned revision is always null" (API reference), so the AppSpec text is not sent back.
 */
export function infoOf(record: DeploymentRecord): DeploymentInfo {
  const info = snapshot(record.info);
  for (const revision of [info.revision, info.previousRevision]) {
    if (revision?.appSpecContent) delete revision.appSpecContent.content;
  }
  return info;
}
