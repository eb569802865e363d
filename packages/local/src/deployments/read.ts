import type {
  BatchGetDeploymentsInput,
  BatchGetDeploymentsOutput,
  DeploymentStatus,
  GetDeploymentInput,
  GetDeploymentOutput,
  ListDeploymentsInput,
  ListDeploymentsOutput,
} from '@aws-sdk/client-codedeploy';
import { groupKey } from '../engine/index.js';
import {
  applicationDoesNotExist,
  codeDeployError,
  deploymentGroupDoesNotExist,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { infoOf, isDeploymentId, requireDeployment } from './lookup.js';

export function getDeployment(input: GetDeploymentInput, context: OperationContext): GetDeploymentOutput {
  return { deploymentInfo: infoOf(requireDeployment(context, input.deploymentId)) };
}

/** Unknown ids are left out of the answer, as batch reads do on the service. */
export function batchGetDeployments(
  input: BatchGetDeploymentsInput,
  context: OperationContext,
): BatchGetDeploymentsOutput {
  const ids = input.deploymentIds ?? [];
  if (ids.length === 0) throw codeDeployError('DeploymentIdRequiredException');
  const invalid = ids.find((id) => !isDeploymentId(id));
  if (invalid !== undefined) {
    throw codeDeployError('InvalidDeploymentIdException', `Value: ${invalid}.`);
  }
  const deploymentsInfo = ids.flatMap((id) => {
    const record = context.store.state.deployments[id];
    return record ? [infoOf(record)] : [];
  });
  return { deploymentsInfo };
}

/** Newest first, filtered by application/group, statuses and creation time; 100 ids a page. */
export function listDeployments(
  input: ListDeploymentsInput,
  context: OperationContext,
): ListDeploymentsOutput {
  const state = context.store.state;
  const { applicationName, deploymentGroupName } = input;
  // The API reference: each of applicationName and deploymentGroupName requires the other.
  if (deploymentGroupName && !applicationName) {
    throw codeDeployError(
      'ApplicationNameRequiredException',
      'If deploymentGroupName is specified, then applicationName must be specified.',
    );
  }
  if (applicationName && !deploymentGroupName) {
    throw codeDeployError(
      'DeploymentGroupNameRequiredException',
      'If applicationName is specified, then deploymentGroupName must be specified.',
    );
  }
  if (applicationName && !state.applications[applicationName]) {
    throw applicationDoesNotExist(applicationName);
  }
  if (
    applicationName &&
    deploymentGroupName &&
    !state.deploymentGroups[groupKey(applicationName, deploymentGroupName)]
  ) {
    throw deploymentGroupDoesNotExist(deploymentGroupName);
  }
  const statuses = input.includeOnlyStatuses ?? [];
  const start = toTime(input.createTimeRange?.start);
  const end = toTime(input.createTimeRange?.end);
  if (start !== undefined && end !== undefined && start > end) {
    throw codeDeployError('InvalidTimeRangeException');
  }
  const ids = Object.values(state.deployments)
    .map((record) => record.info)
    .filter((info) => !applicationName || info.applicationName === applicationName)
    .filter((info) => !deploymentGroupName || info.deploymentGroupName === deploymentGroupName)
    .filter((info) => statuses.length === 0 || statuses.includes(info.status as DeploymentStatus))
    .filter((info) => {
      const created = info.createTime?.getTime() ?? 0;
      return (start === undefined || created >= start) && (end === undefined || created <= end);
    })
    .sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0))
    .map((info) => info.deploymentId ?? '');
  const { items, nextToken } = pageOf(ids, input.nextToken);
  return { deployments: items, ...(nextToken ? { nextToken } : {}) };
}

/** Time range bounds arrive as Dates from the SDK types, or as epoch seconds straight off the wire. */
function toTime(value: Date | number | string | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw codeDeployError('InvalidTimeRangeException');
  return parsed;
}
