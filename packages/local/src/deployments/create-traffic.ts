import type {
  CreateDeploymentInput,
  DeploymentGroupInfo,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import {
  minimumHealthyHostsOf,
  newTrafficDeploymentRecord,
  readTrafficAppSpec,
  sha256Of,
  trafficConfigOf,
} from '../engine/index.js';
import type { DeploymentRecord, LocalState } from '../state/index.js';
import { codeDeployError, deploymentConfigDoesNotExist } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { appSpecContentOf } from './appspec-content.js';
import {
  invalidRevision,
  validateAutoRollback,
  validateOverrideAlarms,
  validDescription,
} from './create-validation.js';

/** What every Lambda or ECS group deploys with when neither the call nor the group names a config. */
const DEFAULT_CONFIGS = {
  Lambda: 'CodeDeployDefault.LambdaAllAtOnce',
  ECS: 'CodeDeployDefault.ECSAllAtOnce',
} as const;

const PLATFORM_NAMES = { Lambda: 'AWS Lambda', ECS: 'Amazon ECS' } as const;

export interface PreparedTrafficDeployment {
  /** The revision as stored: inline content gets its sha256, which identifies the revision. */
  revision: RevisionLocation;
  record: (state: LocalState, deploymentId: string, now: Date) => DeploymentRecord;
}

/**
 * The Lambda/ECS half of CreateDeployment: the revision must be an AppSpec (AppSpecContent, String
 * for Lambda, or a YAML/JSON object in S3), which is read and checked against the platform before
 * anything is stored. Whether the function, alias, versions, service and task definition exist is
 * the deployment's first step, as on AWS (a missing one fails the deployment, not the call).
 */
export async function prepareTrafficDeployment(
  input: CreateDeploymentInput,
  context: OperationContext,
  group: DeploymentGroupInfo,
  platform: 'Lambda' | 'ECS',
): Promise<PreparedTrafficDeployment> {
  const revision = validTrafficRevision(input.revision, platform);
  const state = context.store.state;
  const deploymentConfigName =
    input.deploymentConfigName || group.deploymentConfigName || DEFAULT_CONFIGS[platform];
  const config = trafficConfigOf(state, deploymentConfigName);
  if (!config) {
    if (
      !state.deploymentConfigs[deploymentConfigName] &&
      !minimumHealthyHostsOf(state, deploymentConfigName)
    ) {
      throw deploymentConfigDoesNotExist(deploymentConfigName);
    }
    throw codeDeployError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${deploymentConfigName} is not for the ${platform} compute platform; use one of the CodeDeployDefault.${platform}* configurations or a ${platform} custom configuration.`,
    );
  }
  if (config.computePlatform !== platform) {
    throw codeDeployError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${deploymentConfigName} is for the ${config.computePlatform} compute platform, not ${platform}.`,
    );
  }
  validDescription(input.description);
  validateAutoRollback(input.autoRollbackConfiguration);
  validateOverrideAlarms(input.overrideAlarmConfiguration);
  if (input.updateOutdatedInstancesOnly) {
    throw codeDeployError(
      'InvalidUpdateOutdatedInstancesOnlyValueException',
      `updateOutdatedInstancesOnly applies to EC2/On-premises deployments; leave it false for an ${PLATFORM_NAMES[platform]} deployment.`,
    );
  }
  if (input.targetInstances) {
    throw codeDeployError(
      'InvalidTargetInstancesException',
      `targetInstances applies to EC2/On-premises blue/green deployments, not to an ${PLATFORM_NAMES[platform]} deployment.`,
    );
  }
  const content = await appSpecContentOf(revision, context);
  const reading = readTrafficAppSpec(content, platform);
  if (!reading.ok) {
    throw invalidRevision(
      `The AppSpec file is not valid for an ${PLATFORM_NAMES[platform]} deployment: ${reading.problems.join('; ')}`,
    );
  }
  const appspec = reading.appspec;
  const service = group.ecsServices?.[0];
  const stored = withSha256(revision, content);
  return {
    revision: stored,
    record: (_state, deploymentId, now) =>
      newTrafficDeploymentRecord({
        deploymentId,
        group,
        revision: stored,
        appspec,
        deploymentConfigName,
        creator: 'user',
        createTime: now,
        region: context.region,
        accountId: context.accountId,
        ...(platform === 'ECS'
          ? { ecs: { clusterName: service?.clusterName ?? '', serviceName: service?.serviceName ?? '' } }
          : {}),
        description: input.description,
        autoRollbackConfiguration: input.autoRollbackConfiguration,
        overrideAlarmConfiguration: input.overrideAlarmConfiguration,
      }),
  };
}

/** The revision types and bundle types a Lambda or ECS deployment takes. */
function validTrafficRevision(
  revision: RevisionLocation | undefined,
  platform: 'Lambda' | 'ECS',
): RevisionLocation {
  if (!revision) throw codeDeployError('RevisionRequiredException');
  const name = PLATFORM_NAMES[platform];
  switch (revision.revisionType) {
    case 'AppSpecContent':
      return revision;
    case 'String':
      if (platform === 'Lambda') return revision;
      throw invalidRevision(
        `Revision type String is not supported for an ${name} deployment; use AppSpecContent.`,
      );
    case 'S3': {
      const s3 = revision.s3Location;
      if (!s3?.bucket) throw invalidRevision('No S3 bucket specified.');
      if (!s3.key) throw invalidRevision('No S3 key specified.');
      if (!s3.bundleType) throw invalidRevision('No bundle type specified.');
      if (s3.bundleType !== 'YAML' && s3.bundleType !== 'JSON') {
        throw invalidRevision(
          `BundleType must be either YAML or JSON for an ${name} deployment, not ${s3.bundleType}: upload the AppSpec file itself (appspec.yaml or appspec.json).`,
        );
      }
      return revision;
    }
    case 'GitHub':
      throw invalidRevision(`Revision type GitHub is not supported for an ${name} deployment.`);
    default:
      throw invalidRevision('No revision type specified.');
  }
}

/**
 * Inline content is stored with the sha256 computed here (lowercase hex), whatever case the caller
 * gave (a mismatch was refused already), so it keys the same revision RegisterApplicationRevision does.
 */
function withSha256(revision: RevisionLocation, content: string): RevisionLocation {
  if (revision.revisionType === 'AppSpecContent') {
    return { ...revision, appSpecContent: { content, sha256: sha256Of(content) } };
  }
  if (revision.revisionType === 'String') {
    return { ...revision, string: { content, sha256: sha256Of(content) } };
  }
  return revision;
}
