import type {
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
import type { DeploymentRecord, LocalState } from '../state/index.js';
import {
  applicationDoesNotExist,
  codeDeployError,
  deploymentConfigDoesNotExist,
  deploymentGroupDoesNotExist,
  deploymentLimitExceeded,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { prepareTrafficDeployment } from './create-traffic.js';
import {
  invalidRevision,
  validateAutoRollback,
  validateOverrideAlarms,
  validDescription,
} from './create-validation.js';
import { recordRevisionUse } from './revision-usage.js';

/** Bundle types of an EC2/on-premises revision (YAML/JSON are Lambda/ECS AppSpec files). */
const SERVER_BUNDLE_TYPES = ['tar', 'tgz', 'zip'];

/**
 * CreateDeployment: validated in the service's order, stored Created, then handed to the engine.
 * An EC2/on-premises deployment gets one Pending target per instance the group selects (none: it
 * then fails with NO_INSTANCES, as on AWS); a Lambda or ECS deployment gets the one target its
 * AppSpec and group name, the AppSpec read and checked first, so a bad one creates no deployment.
 */
export async function createDeployment(
  input: CreateDeploymentInput,
  context: OperationContext,
): Promise<CreateDeploymentOutput> {
  const state = context.store.state;
  const applicationName = input.applicationName;
  if (!applicationName) {
    throw codeDeployError('ApplicationNameRequiredException');
  }
  const application = state.applications[applicationName];
  if (!application) {
    throw applicationDoesNotExist(applicationName);
  }
  const groupName = input.deploymentGroupName;
  if (!groupName) throw codeDeployError('DeploymentGroupNameRequiredException');
  const group = state.deploymentGroups[groupKey(applicationName, groupName)];
  if (!group) throw deploymentGroupDoesNotExist(groupName);
  const platform = group.computePlatform ?? application.computePlatform ?? 'Server';
  if (platform === 'Lambda' || platform === 'ECS') {
    const prepared = await prepareTrafficDeployment(input, context, group, platform);
    return { deploymentId: storeDeployment(context, input, group, prepared.revision, prepared.record) };
  }
  const revision = validRevision(input.revision);
  const deploymentConfigName =
    input.deploymentConfigName || group.deploymentConfigName || DEFAULT_DEPLOYMENT_CONFIG;
  if (!minimumHealthyHostsOf(state, deploymentConfigName)) {
    throw deploymentConfigDoesNotExist(deploymentConfigName);
  }
  validDescription(input.description);
  validateAutoRollback(input.autoRollbackConfiguration);
  validateOverrideAlarms(input.overrideAlarmConfiguration);
  validateTargetInstances(input, group);
  const deploymentId = storeDeployment(context, input, group, revision, (current, id, now) => {
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
    if (input.overrideAlarmConfiguration)
      record.info.overrideAlarmConfiguration = input.overrideAlarmConfiguration;
    return record;
  });
  return { deploymentId };
}

/**
 * The last checks and the store: one active deployment per group (checked here, after any revision
 * read, so two concurrent calls cannot both pass), the record, the revision's use, the group's last
 * attempt, then the engine.
 */
function storeDeployment(
  context: OperationContext,
  input: CreateDeploymentInput,
  group: DeploymentGroupInfo,
  revision: RevisionLocation,
  build: (state: LocalState, deploymentId: string, now: Date) => DeploymentRecord,
): string {
  const applicationName = group.applicationName ?? '';
  const groupName = group.deploymentGroupName ?? '';
  const active = activeDeploymentOf(context.store.state, applicationName, groupName);
  if (active) {
    throw deploymentLimitExceeded(input.deploymentGroupName ?? '', active);
  }
  const now = context.now();
  const deploymentId = context.store.update((current) => {
    const id = newDeploymentId(current);
    current.deployments[id] = build(current, id, now);
    group.lastAttemptedDeployment = { deploymentId: id, status: 'Created', createTime: now };
    recordRevisionUse(current, applicationName, revision, id, now);
    return id;
  });
  context.engine.start(deploymentId);
  return deploymentId;
}

function validRevision(revision: RevisionLocation | undefined): RevisionLocation {
  if (!revision) throw codeDeployError('RevisionRequiredException');
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

/** targetInstances describes a blue/green replacement environment; local groups are in-place. */
function validateTargetInstances(input: CreateDeploymentInput, group: DeploymentGroupInfo): void {
  const target = input.targetInstances;
  if (!target) return;
  const given =
    (target.tagFilters?.length ?? 0) > 0 ||
    (target.autoScalingGroups?.length ?? 0) > 0 ||
    (target.ec2TagSet?.ec2TagSetList?.length ?? 0) > 0;
  if (given && group.deploymentStyle?.deploymentType !== 'BLUE_GREEN') {
    throw codeDeployError(
      'InvalidTargetInstancesException',
      'Configuration data for target instances was entered for an in-place deployment.',
    );
  }
}
