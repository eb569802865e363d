import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { DeploymentRecord } from '../state/index.js';
import { codeDeployError, deploymentDoesNotExist } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';

const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

/** DeploymentIdRequired / InvalidDeploymentId / DeploymentDoesNotExist, in the service's order. */
export function requireDeployment(context: OperationContext, deploymentId: unknown): DeploymentRecord {
  if (typeof deploymentId !== 'string' || deploymentId === '') {
    throw codeDeployError('DeploymentIdRequiredException');
  }
  if (!DEPLOYMENT_ID.test(deploymentId)) {
    throw codeDeployError('InvalidDeploymentIdException', `Value: ${deploymentId}.`);
  }
  const record = context.store.state.deployments[deploymentId];
  if (!record) throw deploymentDoesNotExist(deploymentId);
  return record;
}

export function isDeploymentId(value: unknown): value is string {
  return typeof value === 'string' && DEPLOYMENT_ID.test(value);
}

/** Target and instance operations answer DeploymentNotStartedException until the deployment runs. */
export function requireStarted(record: DeploymentRecord): void {
  if (record.info.status === 'Created' || record.info.status === 'Queued') {
    throw codeDeployError('DeploymentNotStartedException');
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
