import type { CodeDeployError } from './codedeploy-error.js';
import {
  batchLimitExceeded,
  type CodeDeployExceptionCode,
  codeDeployError,
  deploymentTargetListSizeExceeded,
} from './codedeploy-messages.js';
import { CODEDEPLOY_INPUT_RULES } from './constraints/codedeploy.generated.js';
import { type Violation, validationMessage, violations } from './constraints/validate.js';
import { ServiceError } from './service-error.js';

/**
 * The exception CodeDeploy answers when a member breaks a model constraint. CodeDeploy documents a
 * specific exception for most members (ApplicationNameRequiredException, InvalidApplicationNameException,
 * BatchLimitExceededException, ...); a member without one gets the generic ValidationException.
 * Keyed by member name; a violation inside a structure (`deploymentStyle.deploymentType`) takes the
 * exception of the nearest enclosing member that has one.
 */
interface MemberExceptions {
  /** Missing (null) member. */
  required?: CodeDeployExceptionCode;
  /** Wrong length, pattern, enum value or range. */
  invalid?: CodeDeployExceptionCode;
  /** A list longer than its documented maximum. */
  tooMany?: (limit: number) => CodeDeployError;
}

const batch = { tooMany: batchLimitExceeded };
const names = (required: CodeDeployExceptionCode, invalid: CodeDeployExceptionCode): MemberExceptions => ({
  required,
  invalid,
});

const MEMBER_EXCEPTIONS = new Map<string, MemberExceptions>([
  ['applicationName', names('ApplicationNameRequiredException', 'InvalidApplicationNameException')],
  ['newApplicationName', names('ApplicationNameRequiredException', 'InvalidApplicationNameException')],
  ['applicationNames', { required: 'ApplicationNameRequiredException', ...batch }],
  [
    'deploymentGroupName',
    names('DeploymentGroupNameRequiredException', 'InvalidDeploymentGroupNameException'),
  ],
  [
    'currentDeploymentGroupName',
    names('DeploymentGroupNameRequiredException', 'InvalidDeploymentGroupNameException'),
  ],
  [
    'newDeploymentGroupName',
    names('DeploymentGroupNameRequiredException', 'InvalidDeploymentGroupNameException'),
  ],
  ['deploymentGroupNames', { required: 'DeploymentGroupNameRequiredException', ...batch }],
  [
    'deploymentConfigName',
    names('DeploymentConfigNameRequiredException', 'InvalidDeploymentConfigNameException'),
  ],
  ['deploymentId', names('DeploymentIdRequiredException', 'InvalidDeploymentIdException')],
  [
    'deploymentIds',
    { required: 'DeploymentIdRequiredException', invalid: 'InvalidDeploymentIdException', ...batch },
  ],
  ['instanceName', names('InstanceNameRequiredException', 'InvalidInstanceNameException')],
  [
    'instanceNames',
    { required: 'InstanceNameRequiredException', invalid: 'InvalidInstanceNameException', ...batch },
  ],
  ['instanceId', { required: 'InstanceIdRequiredException' }],
  ['instanceIds', { required: 'InstanceIdRequiredException', ...batch }],
  [
    'targetIds',
    {
      required: 'DeploymentTargetIdRequiredException',
      tooMany: (limit) => deploymentTargetListSizeExceeded('instances', limit),
    },
  ],
  [
    'targetId',
    { required: 'DeploymentTargetIdRequiredException', invalid: 'InvalidDeploymentTargetIdException' },
  ],
  ['revision', names('RevisionRequiredException', 'InvalidRevisionException')],
  ['revisions', { required: 'RevisionRequiredException', invalid: 'InvalidRevisionException', ...batch }],
  ['description', { invalid: 'DescriptionTooLongException' }],
  ['sortBy', { invalid: 'InvalidSortByException' }],
  ['sortOrder', { invalid: 'InvalidSortOrderException' }],
  ['deployed', { invalid: 'InvalidDeployedStateFilterException' }],
  ['s3Bucket', { invalid: 'InvalidBucketNameFilterException' }],
  ['s3KeyPrefix', { invalid: 'InvalidKeyPrefixFilterException' }],
  ['includeOnlyStatuses', { invalid: 'InvalidDeploymentStatusException' }],
  ['createTimeRange', { invalid: 'InvalidTimeRangeException' }],
  ['computePlatform', { invalid: 'InvalidComputePlatformException' }],
  ['registrationStatus', { invalid: 'InvalidRegistrationStatusException' }],
  ['fileExistsBehavior', { invalid: 'InvalidFileExistsBehaviorException' }],
  ['deploymentWaitType', { invalid: 'InvalidDeploymentWaitTypeException' }],
  ['instanceStatusFilter', { invalid: 'InvalidInstanceStatusException' }],
  ['instanceTypeFilter', { invalid: 'InvalidDeploymentInstanceTypeException' }],
  ['targetFilters', { invalid: 'InvalidTargetFilterNameException' }],
  ['iamUserArn', { invalid: 'InvalidIamUserArnException' }],
  ['iamSessionArn', { invalid: 'InvalidIamSessionArnException' }],
  ['resourceArn', { required: 'ResourceArnRequiredException', invalid: 'InvalidArnException' }],
  ['ResourceArn', { required: 'ResourceArnRequiredException', invalid: 'InvalidArnException' }],
  ['tags', { required: 'TagRequiredException', invalid: 'InvalidTagException' }],
  ['Tags', { required: 'TagRequiredException', invalid: 'InvalidTagsToAddException' }],
  ['TagKeys', { required: 'TagRequiredException' }],
  ['tagFilters', { invalid: 'InvalidTagFilterException' }],
  ['status', { invalid: 'InvalidLifecycleEventHookExecutionStatusException' }],
  ['lifecycleEventHookExecutionId', { invalid: 'InvalidLifecycleEventHookExecutionIdException' }],
  ['serviceRoleArn', { required: 'RoleRequiredException', invalid: 'InvalidRoleException' }],
  ['tokenName', names('GitHubAccountTokenNameRequiredException', 'InvalidGitHubAccountTokenNameException')],
  ['externalId', { invalid: 'InvalidExternalIdException' }],
  ['nextToken', { invalid: 'InvalidNextTokenException' }],
  ['outdatedInstancesStrategy', { invalid: 'InvalidInputException' }],
  ['ec2TagFilters', { invalid: 'InvalidEC2TagException' }],
  ['ec2TagSet', { invalid: 'InvalidEC2TagException' }],
  ['onPremisesInstanceTagFilters', { invalid: 'InvalidTagException' }],
  ['onPremisesTagSet', { invalid: 'InvalidTagException' }],
  ['autoScalingGroups', { invalid: 'InvalidAutoScalingGroupException' }],
  ['triggerConfigurations', { invalid: 'InvalidTriggerConfigException' }],
  ['alarmConfiguration', { invalid: 'InvalidAlarmConfigException' }],
  ['overrideAlarmConfiguration', { invalid: 'InvalidAlarmConfigException' }],
  ['autoRollbackConfiguration', { invalid: 'InvalidAutoRollbackConfigException' }],
  ['deploymentStyle', { invalid: 'InvalidDeploymentStyleException' }],
  ['blueGreenDeploymentConfiguration', { invalid: 'InvalidBlueGreenDeploymentConfigurationException' }],
  ['loadBalancerInfo', { invalid: 'InvalidLoadBalancerInfoException' }],
  ['ecsServices', { invalid: 'InvalidECSServiceException' }],
  ['targetInstances', { invalid: 'InvalidTargetInstancesException' }],
  ['minimumHealthyHosts', { invalid: 'InvalidMinimumHealthyHostValueException' }],
  ['trafficRoutingConfig', { invalid: 'InvalidTrafficRoutingConfigurationException' }],
  ['zonalConfig', { invalid: 'InvalidZonalDeploymentConfigurationException' }],
]);

/**
 * Checks a CodeDeploy request against the model's constraints (the generated table) before its
 * handler runs, as the service does, and throws the exception CodeDeploy answers for the first
 * broken constraint.
 */
export function checkCodeDeployInput(operation: string, input: unknown): void {
  const rule = Object.hasOwn(CODEDEPLOY_INPUT_RULES, operation)
    ? CODEDEPLOY_INPUT_RULES[operation]
    : undefined;
  if (!rule) return;
  const [first] = violations(rule, input);
  if (first) throw exceptionFor(first);
}

function exceptionFor(violation: Violation): ServiceError {
  // A value of the wrong JSON type never reaches validation on the service: its parser refuses it.
  if (violation.kind === 'type') {
    return new ServiceError('SerializationException', `${violation.constraint}: '${violation.path}'.`);
  }
  const members = violation.path
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment) && segment !== 'member');
  for (const name of members.reverse()) {
    const mapped = MEMBER_EXCEPTIONS.get(name);
    if (!mapped) continue;
    // An empty name is "not specified" to the service, as a missing one is.
    const missing = violation.kind === 'required' || (violation.kind === 'min' && violation.value === '');
    if (missing && mapped.required) return codeDeployError(mapped.required);
    if (violation.kind === 'max' && Array.isArray(violation.value) && mapped.tooMany) {
      return mapped.tooMany(violation.limit ?? violation.value.length - 1);
    }
    if (violation.kind !== 'required' && mapped.invalid) {
      return codeDeployError(
        mapped.invalid,
        validationMessage([violation]).replace(/^1 validation error detected: /, ''),
      );
    }
  }
  return new ServiceError('ValidationException', validationMessage([violation]));
}
