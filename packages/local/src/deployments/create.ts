import type {
  AutoRollbackConfiguration,
  CreateDeploymentInput,
  CreateDeploymentOutput,
  DeploymentGroupInfo,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import {
  activeDeploymentOf,
  DEFAULT_DEPLOYMENT_CONFIG,
  eligibleInstances,
  groupKey,
  minimumHealthyHostsOf,
  newDeploymentId,
  newDeploymentRecord,
} from '../engine/index.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';
import type { OperationContext } from '../wire/operation.js';
import { recordRevisionUse } from './revision-usage.js';

const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN'];
const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];
/** Bundle types of an EC2/on-premises revision (YAML/JSON are Lambda/ECS AppSpec files). */
const SERVER_BUNDLE_TYPES = ['tar', 'tgz', 'zip'];

/**
 * CreateDeployment: validated in the service's order, stored Created with one Pending target per
 * instance the group selects, then handed to the engine. A group with no matching instance still gets
 * its deployment, which then fails with NO_INSTANCES, as on AWS.
 */
export function createDeployment(
  input: CreateDeploymentInput,
  context: OperationContext,
): CreateDeploymentOutput {
  const state = context.store.state;
  const applicationName = input.applicationName;
  if (!applicationName) {
    throw new CodeDeployError(
      'ApplicationNameRequiredException',
      'The minimum number of required application names was not specified.',
    );
  }
  if (!state.applications[applicationName]) {
    throw new CodeDeployError(
      'ApplicationDoesNotExistException',
      `No application found for name: ${applicationName}`,
    );
  }
  const groupName = input.deploymentGroupName;
  if (!groupName)
    throw new CodeDeployError(
      'DeploymentGroupNameRequiredException',
      'The deployment group name was not specified.',
    );
  const group = state.deploymentGroups[groupKey(applicationName, groupName)];
  if (!group)
    throw new CodeDeployError(
      'DeploymentGroupDoesNotExistException',
      `No Deployment Group found for name: ${groupName}`,
    );
  const revision = validRevision(input.revision);
  const deploymentConfigName =
    input.deploymentConfigName || group.deploymentConfigName || DEFAULT_DEPLOYMENT_CONFIG;
  if (!minimumHealthyHostsOf(state, deploymentConfigName)) {
    throw new CodeDeployError(
      'DeploymentConfigDoesNotExistException',
      `No deployment configuration found for name: ${deploymentConfigName}`,
    );
  }
  if ((input.description ?? '').length > 256) {
    throw new CodeDeployError('DescriptionTooLongException', 'The description is too long.');
  }
  if (input.fileExistsBehavior !== undefined && !FILE_EXISTS_BEHAVIORS.includes(input.fileExistsBehavior)) {
    throw new CodeDeployError(
      'InvalidFileExistsBehaviorException',
      'An invalid fileExistsBehavior option was specified to determine how CodeDeploy handles files or directories that already exist in a deployment target location, but weren\'t part of the previous successful deployment. Valid values include "DISALLOW," "OVERWRITE," and "RETAIN."',
    );
  }
  validateAutoRollback(input.autoRollbackConfiguration);
  validateTargetInstances(input, group);
  const active = activeDeploymentOf(state, applicationName, groupName);
  if (active) {
    throw new CodeDeployError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${groupName}' already has an active Deployment '${active}'`,
    );
  }
  const now = context.now();
  const deploymentId = context.store.update((current) => {
    const id = newDeploymentId(current);
    const targets = Object.fromEntries(
      eligibleInstances(group, current.instances).map((name) => [
        name,
        current.instances[name]?.instanceArn ??
          `arn:aws:codedeploy:${context.region}:${context.accountId}:instance/${name}`,
      ]),
    );
    const record = newDeploymentRecord({
      deploymentId: id,
      group,
      revision,
      deploymentConfigName,
      creator: 'user',
      createTime: now,
      targets,
      description: input.description,
      ignoreApplicationStopFailures: input.ignoreApplicationStopFailures,
      updateOutdatedInstancesOnly: input.updateOutdatedInstancesOnly,
      fileExistsBehavior: input.fileExistsBehavior,
      autoRollbackConfiguration: input.autoRollbackConfiguration,
    });
    current.deployments[id] = record;
    group.lastAttemptedDeployment = { deploymentId: id, status: 'Created', createTime: now };
    recordRevisionUse(current, applicationName, revision, id, now);
    return id;
  });
  context.engine.start(deploymentId);
  return { deploymentId };
}

function validRevision(revision: RevisionLocation | undefined): RevisionLocation {
  if (!revision) throw new CodeDeployError('RevisionRequiredException', 'The revision ID was not specified.');
  if (revision.revisionType === 'S3') {
    const s3 = revision.s3Location;
    if (!s3?.bucket) throw invalidRevision('No S3 bucket specified.');
    if (!s3.key) throw invalidRevision('No S3 key specified.');
    if (!s3.bundleType) throw invalidRevision('No bundle type specified.');
    if (!SERVER_BUNDLE_TYPES.includes(s3.bundleType)) {
      throw invalidRevision(
        `Bundle type ${s3.bundleType} is not supported for an EC2/On-premises deployment.`,
      );
    }
    return revision;
  }
  if (revision.revisionType === 'GitHub') {
    if (!revision.gitHubLocation?.repository) throw invalidRevision('No GitHub repository specified.');
    if (!revision.gitHubLocation.commitId) throw invalidRevision('No GitHub commit ID specified.');
    return revision;
  }
  if (revision.revisionType === 'String' || revision.revisionType === 'AppSpecContent') {
    throw invalidRevision(
      `Revision type ${revision.revisionType} is not supported for an EC2/On-premises deployment.`,
    );
  }
  throw invalidRevision('No revision type specified.');
}

function invalidRevision(message: string): CodeDeployError {
  return new CodeDeployError('InvalidRevisionException', message);
}

function validateAutoRollback(config: AutoRollbackConfiguration | undefined): void {
  if (!config) return;
  const events = config.events ?? [];
  if (events.some((event) => !ROLLBACK_EVENTS.includes(event))) {
    throw new CodeDeployError(
      'InvalidAutoRollbackConfigException',
      'The automatic rollback configuration was specified in an invalid format.',
    );
  }
  if (config.enabled && events.length === 0) {
    throw new CodeDeployError(
      'InvalidAutoRollbackConfigException',
      'The automatic rollback configuration was specified in an invalid format. At least one event must be specified when automatic rollback is enabled.',
    );
  }
}

/** targetInstances describes a blue/green replacement environment; local groups are in-place. */
function validateTargetInstances(input: CreateDeploymentInput, group: DeploymentGroupInfo): void {
  const target = input.targetInstances;
  if (!target) return;
  const given =
    (target.tagFilters?.length ?? 0) > 0 ||
    (target.autoScalingGroups?.length ?? 0) > 0 ||
    (target.ec2TagSet?.ec2TagSetList?.length ?? 0) > 0;
  if (given && group.deploymentStyle?.deploymentType !== 'BLUE_GREEN') {
    throw new CodeDeployError(
      'InvalidTargetInstancesException',
      'Configuration data for target instances was entered for an in-place deployment.',
    );
  }
}
