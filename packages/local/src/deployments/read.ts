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
import { CodeDeployError } from '../wire/codedeploy-error.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { infoOf, isDeploymentId, requireDeployment } from './lookup.js';

const STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready',
];

/** The model documents 25 ids per call (the limits page says 100; 25 is the safe reading). */
const BATCH_LIMIT = 25;

export function getDeployment(input: GetDeploymentInput, context: OperationContext): GetDeploymentOutput {
  return { deploymentInfo: infoOf(requireDeployment(context, input.deploymentId)) };
}

/** Unknown ids are left out of the answer, as batch reads do on the service. */
export function batchGetDeployments(
  input: BatchGetDeploymentsInput,
  context: OperationContext,
): BatchGetDeploymentsOutput {
  const ids = input.deploymentIds ?? [];
  if (ids.length === 0)
    throw new CodeDeployError(
      'DeploymentIdRequiredException',
      'At least one deployment ID must be specified.',
    );
  if (ids.length > BATCH_LIMIT) {
    throw new CodeDeployError(
      'BatchLimitExceededException',
      'The maximum number of names or IDs allowed for this request (25) was exceeded.',
    );
  }
  const invalid = ids.find((id) => !isDeploymentId(id));
  if (invalid !== undefined) {
    throw new CodeDeployError(
      'InvalidDeploymentIdException',
      `Specified DeploymentId is not in the valid format: ${invalid}`,
    );
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
  if (deploymentGroupName && !applicationName) {
    throw new CodeDeployError(
      'ApplicationNameRequiredException',
      'The minimum number of required application names was not specified.',
    );
  }
  if (applicationName && !state.applications[applicationName]) {
    throw new CodeDeployError(
      'ApplicationDoesNotExistException',
      `No application found for name: ${applicationName}`,
    );
  }
  if (
    applicationName &&
    deploymentGroupName &&
    !state.deploymentGroups[groupKey(applicationName, deploymentGroupName)]
  ) {
    throw new CodeDeployError(
      'DeploymentGroupDoesNotExistException',
      `No Deployment Group found for name: ${deploymentGroupName}`,
    );
  }
  const statuses = input.includeOnlyStatuses ?? [];
  const badStatus = statuses.find((status) => !STATUSES.includes(status));
  if (badStatus !== undefined) {
    throw new CodeDeployError(
      'InvalidDeploymentStatusException',
      `The specified deployment status is invalid: ${badStatus}`,
    );
  }
  const start = toTime(input.createTimeRange?.start);
  const end = toTime(input.createTimeRange?.end);
  if (start !== undefined && end !== undefined && start > end) {
    throw new CodeDeployError(
      'InvalidTimeRangeException',
      'The specified time range was specified in an invalid format.',
    );
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
  if (Number.isNaN(parsed))
    throw new CodeDeployError(
      'InvalidTimeRangeException',
      'The specified time range was specified in an invalid format.',
    );
  return parsed;
}
