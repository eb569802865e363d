import { CodeDeployError } from './codedeploy-error.js';

/**
 * Every CodeDeploy exception the local server raises, worded as the service words it. Two sources:
 * - the service's own messages where they name the resource (as AWS answers them and moto copies them:
 *   "The application app1 does not exist with the user or AWS account.");
 * - otherwise the exception's sentence from the service model's documentation (the API reference's
 *   "Errors" section), optionally followed by what the local server found (`detail`), so a tool
 *   matching AWS's text still matches.
 */
const DOCUMENTED = {
  AlarmsLimitExceededException: 'The maximum number of alarms for a deployment group (10) was exceeded.',
  ApplicationAlreadyExistsException:
    'An application with the specified name with the user or AWS account already exists.',
  ApplicationDoesNotExistException: 'The application does not exist with the user or AWS account.',
  ApplicationLimitExceededException: 'More applications were attempted to be created than are allowed.',
  ApplicationNameRequiredException: 'The minimum number of required application names was not specified.',
  ArnNotSupportedException:
    'The specified ARN is not supported. For example, it might be an ARN for a resource that is not expected.',
  BatchLimitExceededException:
    'The maximum number of names or IDs allowed for this request (100) was exceeded.',
  BucketNameFilterRequiredException: 'A bucket name is required, but was not provided.',
  DeploymentAlreadyCompletedException: 'The deployment is already complete.',
  DeploymentAlreadyStartedException:
    'A deployment to a target was attempted while another deployment was in progress.',
  DeploymentConfigAlreadyExistsException:
    'A deployment configuration with the specified name with the user or AWS account already exists.',
  DeploymentConfigDoesNotExistException:
    'The deployment configuration does not exist with the user or AWS account.',
  DeploymentConfigInUseException: 'The deployment configuration is still in use.',
  DeploymentConfigLimitExceededException: 'The deployment configurations limit was exceeded.',
  DeploymentConfigNameRequiredException: 'The deployment configuration name was not specified.',
  DeploymentDoesNotExistException: 'The deployment with the user or AWS account does not exist.',
  DeploymentGroupAlreadyExistsException:
    'A deployment group with the specified name with the user or AWS account already exists.',
  DeploymentGroupDoesNotExistException:
    'The named deployment group with the user or AWS account does not exist.',
  DeploymentGroupLimitExceededException: 'The deployment groups limit was exceeded.',
  DeploymentGroupNameRequiredException: 'The deployment group name was not specified.',
  DeploymentIdRequiredException: 'At least one deployment ID must be specified.',
  DeploymentIsNotInReadyStateException:
    "The deployment does not have a status of Ready and can't continue yet.",
  DeploymentLimitExceededException: 'The number of allowed deployments was exceeded.',
  DeploymentNotStartedException: 'The specified deployment has not started.',
  DeploymentTargetDoesNotExistException:
    'The provided target ID does not belong to the attempted deployment.',
  DeploymentTargetIdRequiredException: 'A deployment target ID was not provided.',
  DeploymentTargetListSizeExceededException:
    'The maximum number of targets that can be associated with an Amazon ECS or Lambda deployment was exceeded. The target list of both types of deployments must have exactly one item. This exception does not apply to EC2/On-premises deployments.',
  DescriptionTooLongException: 'The description is too long.',
  ECSServiceMappingLimitExceededException:
    'The Amazon ECS service is associated with more than one deployment groups. An Amazon ECS service can be associated with only one deployment group.',
  GitHubAccountTokenDoesNotExistException:
    'No GitHub account connection exists with the named specified in the call.',
  GitHubAccountTokenNameRequiredException: 'The call is missing a required GitHub account connection name.',
  IamArnRequiredException:
    'No IAM ARN was included in the request. You must use an IAM session ARN or user ARN in the request.',
  IamSessionArnAlreadyRegisteredException:
    'The request included an IAM session ARN that has already been used to register a different instance.',
  IamUserArnAlreadyRegisteredException:
    'The specified user ARN is already registered with an on-premises instance.',
  IamUserArnRequiredException: 'An user ARN was not specified.',
  InstanceDoesNotExistException: 'The specified instance does not exist in the deployment group.',
  InstanceIdRequiredException: 'The instance ID was not specified.',
  InstanceLimitExceededException:
    'The maximum number of allowed on-premises instances in a single call was exceeded.',
  InstanceNameAlreadyRegisteredException: 'The specified on-premises instance name is already registered.',
  InstanceNameRequiredException: 'An on-premises instance name was not specified.',
  InstanceNotRegisteredException: 'The specified on-premises instance is not registered.',
  InvalidAlarmConfigException:
    'The format of the alarm configuration is invalid. Possible causes include: The alarm list is null. The alarm object is null. The alarm name is empty or null or exceeds the limit of 255 characters. Two alarms with the same name have been specified. The alarm configuration is enabled, but the alarm list is empty.',
  InvalidApplicationNameException: 'The application name was specified in an invalid format.',
  InvalidArnException: 'The specified ARN is not in a valid format.',
  InvalidAutoRollbackConfigException:
    'The automatic rollback configuration was specified in an invalid format. For example, automatic rollback is enabled, but an invalid triggering event type or no event types were listed.',
  InvalidAutoScalingGroupException:
    'The Auto Scaling group was specified in an invalid format or does not exist.',
  InvalidBlueGreenDeploymentConfigurationException:
    'The configuration for the blue/green deployment group was provided in an invalid format. For information about deployment configuration format, see CreateDeploymentConfig.',
  InvalidBucketNameFilterException:
    "The bucket name either doesn't exist or was specified in an invalid format.",
  InvalidComputePlatformException:
    'The computePlatform is invalid. The computePlatform should be Lambda, Server, or ECS.',
  InvalidDeployedStateFilterException: 'The deployed state filter was specified in an invalid format.',
  InvalidDeploymentConfigNameException:
    'The deployment configuration name was specified in an invalid format.',
  InvalidDeploymentGroupNameException: 'The deployment group name was specified in an invalid format.',
  InvalidDeploymentIdException: 'At least one of the deployment IDs was specified in an invalid format.',
  InvalidDeploymentInstanceTypeException:
    'An instance type was specified for an in-place deployment. Instance types are supported for blue/green deployments only.',
  InvalidDeploymentStatusException: "The specified deployment status doesn't exist or cannot be determined.",
  InvalidDeploymentStyleException:
    'An invalid deployment style was specified. Valid deployment types include "IN_PLACE" and "BLUE_GREEN." Valid deployment options include "WITH_TRAFFIC_CONTROL" and "WITHOUT_TRAFFIC_CONTROL."',
  InvalidDeploymentTargetIdException: 'The target ID provided was not valid.',
  InvalidDeploymentWaitTypeException: 'The wait type is invalid.',
  InvalidEC2TagCombinationException:
    'A call was submitted that specified both Ec2TagFilters and Ec2TagSet, but only one of these data types can be used in a single call.',
  InvalidEC2TagException: 'The tag was specified in an invalid format.',
  InvalidECSServiceException: 'The Amazon ECS service identifier is not valid.',
  InvalidExternalIdException: 'The external ID was specified in an invalid format.',
  InvalidFileExistsBehaviorException:
    'An invalid fileExistsBehavior option was specified to determine how CodeDeploy handles files or directories that already exist in a deployment target location, but weren\'t part of the previous successful deployment. Valid values include "DISALLOW," "OVERWRITE," and "RETAIN."',
  InvalidGitHubAccountTokenException: 'The GitHub token is not valid.',
  InvalidGitHubAccountTokenNameException:
    'The format of the specified GitHub account connection name is invalid.',
  InvalidIamSessionArnException: 'The IAM session ARN was specified in an invalid format.',
  InvalidIamUserArnException: 'The user ARN was specified in an invalid format.',
  InvalidIgnoreApplicationStopFailuresValueException:
    'The IgnoreApplicationStopFailures value is invalid. For Lambda deployments, false is expected. For EC2/On-premises deployments, true or false is expected.',
  InvalidInputException: 'The input was specified in an invalid format.',
  InvalidInstanceNameException: 'The on-premises instance name was specified in an invalid format.',
  InvalidInstanceStatusException: 'The specified instance status does not exist.',
  InvalidInstanceTypeException:
    'An invalid instance type was specified for instances in a blue/green deployment. Valid values include "Blue" for an original environment and "Green" for a replacement environment.',
  InvalidKeyPrefixFilterException: 'The specified key prefix filter was specified in an invalid format.',
  InvalidLifecycleEventHookExecutionIdException:
    'A lifecycle event hook is invalid. Review the hooks section in your AppSpec file to ensure the lifecycle events and hooks functions are valid.',
  InvalidLifecycleEventHookExecutionStatusException:
    'The result of a Lambda validation function that verifies a lifecycle event is invalid. It should return Succeeded or Failed.',
  InvalidLoadBalancerInfoException: 'An invalid load balancer name, or no load balancer name, was specified.',
  InvalidMinimumHealthyHostValueException:
    'The minimum healthy instance value was specified in an invalid format.',
  InvalidNextTokenException: 'The next token was specified in an invalid format.',
  InvalidOnPremisesTagCombinationException:
    'A call was submitted that specified both OnPremisesTagFilters and OnPremisesTagSet, but only one of these data types can be used in a single call.',
  InvalidOperationException: 'An invalid operation was detected.',
  InvalidRegistrationStatusException: 'The registration status was specified in an invalid format.',
  InvalidRevisionException: 'The revision was specified in an invalid format.',
  InvalidRoleException:
    'The service role ARN was specified in an invalid format. Or, if an Auto Scaling group was specified, the specified service role does not grant the appropriate permissions to Amazon EC2 Auto Scaling.',
  InvalidSortByException:
    'The column name to sort by is either not present or was specified in an invalid format.',
  InvalidSortOrderException: 'The sort order was specified in an invalid format.',
  InvalidTagException: 'The tag was specified in an invalid format.',
  InvalidTagFilterException: 'The tag filter was specified in an invalid format.',
  InvalidTagsToAddException: 'The specified tags are not valid.',
  InvalidTargetException: 'A target is not valid.',
  InvalidTargetFilterNameException: 'The target filter name is invalid.',
  InvalidTargetGroupPairException: 'A target group pair associated with this deployment is not valid.',
  InvalidTargetInstancesException:
    'The target instance configuration is invalid. Possible causes include: Configuration data for target instances was entered for an in-place deployment. The limit of 10 tags for a tag type was exceeded. The combined length of the tag names exceeded the limit. A specified tag is not currently applied to any instances.',
  InvalidTimeRangeException: 'The specified time range was specified in an invalid format.',
  InvalidTrafficRoutingConfigurationException:
    'The configuration that specifies how traffic is routed during a deployment is invalid.',
  InvalidTriggerConfigException: 'The trigger was specified in an invalid format.',
  InvalidUpdateOutdatedInstancesOnlyValueException:
    'The UpdateOutdatedInstancesOnly value is invalid. For Lambda deployments, false is expected. For EC2/On-premises deployments, true or false is expected.',
  InvalidZonalDeploymentConfigurationException: 'The ZonalConfig object is not valid.',
  LifecycleEventAlreadyCompletedException:
    'An attempt to return the status of an already completed lifecycle event occurred.',
  LifecycleHookLimitExceededException: 'The limit for lifecycle hooks was exceeded.',
  MultipleIamArnsProvidedException:
    'Both an user ARN and an IAM session ARN were included in the request. Use only one ARN type.',
  OperationNotSupportedException: 'The API used does not support the deployment.',
  ResourceArnRequiredException: 'The ARN of a resource is required, but was not found.',
  ResourceValidationException: 'The specified resource could not be validated.',
  RevisionDoesNotExistException: 'The named revision does not exist with the user or AWS account.',
  RevisionRequiredException: 'The revision ID was not specified.',
  RoleRequiredException: 'The role ID was not specified.',
  TagLimitExceededException: 'The maximum allowed number of tags was exceeded.',
  TagRequiredException: 'A tag was not specified.',
  TagSetListLimitExceededException:
    'The number of tag groups included in the tag set list exceeded the maximum allowed limit of 3.',
  ThrottlingException: 'An API function was called too frequently.',
  TriggerTargetsLimitExceededException: 'The maximum allowed number of triggers was exceeded.',
  UnsupportedActionForDeploymentTypeException:
    'A call was submitted that is not supported for the specified deployment type.',
} as const;

/** A CodeDeploy exception name the service model documents. */
export type CodeDeployExceptionCode = keyof typeof DOCUMENTED;

/** The exception with its documented sentence, then `detail` when the caller has one. */
export function codeDeployError(code: CodeDeployExceptionCode, detail?: string): CodeDeployError {
  const sentence = DOCUMENTED[code];
  return new CodeDeployError(code, detail ? `${sentence} ${detail}` : sentence);
}

/**
 * An exception whose text is the service's own, quoted from a real answer (each caller says where it
 * was met): the text goes out verbatim, with no documented sentence before it.
 */
export function serviceMessage(code: CodeDeployExceptionCode, text: string): CodeDeployError {
  return new CodeDeployError(code, text);
}

/** CreateDeployment to a group with an active deployment, in the service's current wording. */
export function deploymentLimitExceeded(groupName: string, activeDeploymentId: string): CodeDeployError {
  return serviceMessage(
    'DeploymentLimitExceededException',
    `The Deployment Group '${groupName}' already has an active Deployment '${activeDeploymentId}'`,
  );
}

/**
 * "does not exist" / "already exists" in the service's words, naming the resource: "The application
 * app1 does not exist with the user or AWS account."
 */
function withTheAccount(
  code: CodeDeployExceptionCode,
  resource: string,
  state: 'does not exist' | 'already exists',
): CodeDeployError {
  return new CodeDeployError(code, `The ${resource} ${state} with the user or AWS account.`);
}

export function applicationDoesNotExist(name: string): CodeDeployError {
  return withTheAccount('ApplicationDoesNotExistException', `application ${name}`, 'does not exist');
}

export function applicationAlreadyExists(name: string): CodeDeployError {
  return withTheAccount('ApplicationAlreadyExistsException', `application ${name}`, 'already exists');
}

export function deploymentGroupDoesNotExist(name: string): CodeDeployError {
  return withTheAccount('DeploymentGroupDoesNotExistException', `deployment group ${name}`, 'does not exist');
}

export function deploymentGroupAlreadyExists(name: string): CodeDeployError {
  return withTheAccount(
    'DeploymentGroupAlreadyExistsException',
    `deployment group ${name}`,
    'already exists',
  );
}

export function deploymentDoesNotExist(id: string): CodeDeployError {
  return withTheAccount('DeploymentDoesNotExistException', `deployment ${id}`, 'does not exist');
}

export function deploymentConfigDoesNotExist(name: string): CodeDeployError {
  return withTheAccount(
    'DeploymentConfigDoesNotExistException',
    `deployment configuration ${name}`,
    'does not exist',
  );
}

export function deploymentConfigAlreadyExists(name: string): CodeDeployError {
  return withTheAccount(
    'DeploymentConfigAlreadyExistsException',
    `deployment configuration ${name}`,
    'already exists',
  );
}

/** The limit of a Batch* request ("The maximum number of names or IDs allowed for this request (25) was exceeded."). */
export function batchLimitExceeded(limit: number): CodeDeployError {
  return new CodeDeployError(
    'BatchLimitExceededException',
    `The maximum number of names or IDs allowed for this request (${limit}) was exceeded.`,
  );
}

/**
 * BatchGetDeploymentTargets past its size: the documented sentence is about Lambda and ECS deployments
 * (exactly one target); an EC2/On-premises deployment takes up to `limit` ids, as the API reference says.
 */
export function deploymentTargetListSizeExceeded(platform: 'instances' | 'single', limit: number) {
  if (platform === 'single') return codeDeployError('DeploymentTargetListSizeExceededException');
  return new CodeDeployError(
    'DeploymentTargetListSizeExceededException',
    `The maximum number of deployment target IDs you can specify is ${limit}.`,
  );
}
