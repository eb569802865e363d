import type {
  AlarmConfiguration,
  AutoRollbackConfiguration,
  BlueGreenDeploymentConfiguration,
  ComputePlatform,
  DeploymentStyle,
  EC2TagFilter,
  EC2TagSet,
  ECSService,
  LoadBalancerInfo,
  OnPremisesTagSet,
  TagFilter,
} from '@aws-sdk/client-codedeploy';
import { codeDeployError, serviceMessage } from '../wire/codedeploy-messages.js';

const FILTER_TYPES: readonly string[] = ['KEY_ONLY', 'VALUE_ONLY', 'KEY_AND_VALUE'];
const ROLLBACK_EVENTS: readonly string[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST',
];
/** Alarms per deployment group (the model's AlarmsLimitExceededException: "more than 10 alarms"). */
const ALARM_LIMIT = 10;
/** Tag groups in an ec2TagSet / onPremisesTagSet (TagSetListLimitExceededException: "more than 3"). */
const TAG_SET_LIMIT = 3;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export function validGroupName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw codeDeployError('DeploymentGroupNameRequiredException');
  }
  return name;
}

export function validServiceRoleArn(arn: string | undefined, required: boolean): void {
  if (arn === undefined || arn === '') {
    if (required) throw codeDeployError('RoleRequiredException');
    return;
  }
  if (!ROLE_ARN.test(arn)) {
    throw codeDeployError('InvalidRoleException', `Value: ${arn}.`);
  }
}

/**
 * A filter needs the parts its type compares: KEY_ONLY a Key, VALUE_ONLY a Value, KEY_AND_VALUE both
 * (a missing Type means KEY_AND_VALUE, as the service reads it).
 */
function validFilter(
  filter: TagFilter | EC2TagFilter,
  code: 'InvalidTagException' | 'InvalidEC2TagException' | 'InvalidTagFilterException',
): void {
  const type = filter.Type ?? 'KEY_AND_VALUE';
  const ok =
    FILTER_TYPES.includes(type) &&
    (type === 'VALUE_ONLY' ? Boolean(filter.Value) : Boolean(filter.Key)) &&
    (type !== 'KEY_AND_VALUE' || filter.Value !== undefined);
  if (!ok) {
    throw codeDeployError(
      code,
      `Value: ${JSON.stringify(filter)} (Type ${type} needs ${
        type === 'KEY_ONLY' ? 'a Key' : type === 'VALUE_ONLY' ? 'a Value' : 'a Key and a Value'
      }).`,
    );
  }
}

/** On-premises selection: tag filters or a tag set (never both), each filter well-formed. */
export function validOnPremisesSelection(
  filters: TagFilter[] | undefined,
  set: OnPremisesTagSet | undefined,
): void {
  const sets = set?.onPremisesTagSetList ?? [];
  if ((filters?.length ?? 0) > 0 && sets.length > 0) {
    throw codeDeployError(
      'InvalidOnPremisesTagCombinationException',
      'A deployment group can use onPremisesInstanceTagFilters or onPremisesTagSet, but not both.',
    );
  }
  if (sets.length > TAG_SET_LIMIT) {
    throw codeDeployError('TagSetListLimitExceededException');
  }
  for (const filter of [...(filters ?? []), ...sets.flat()]) validFilter(filter, 'InvalidTagException');
}

export function validEc2Selection(filters: EC2TagFilter[] | undefined, set: EC2TagSet | undefined): void {
  const sets = set?.ec2TagSetList ?? [];
  if ((filters?.length ?? 0) > 0 && sets.length > 0) {
    throw codeDeployError(
      'InvalidEC2TagCombinationException',
      'A deployment group can use ec2TagFilters or ec2TagSet, but not both.',
    );
  }
  if (sets.length > TAG_SET_LIMIT) {
    throw codeDeployError('TagSetListLimitExceededException');
  }
  for (const filter of [...(filters ?? []), ...sets.flat()]) validFilter(filter, 'InvalidEC2TagException');
}

export function validAutoRollback(config: AutoRollbackConfiguration | undefined): void {
  if (!config) return;
  const events = config.events ?? [];
  const unknown = events.find((event) => !ROLLBACK_EVENTS.includes(event));
  if (unknown !== undefined) {
    throw codeDeployError('InvalidAutoRollbackConfigException', `Unknown event ${unknown}.`);
  }
  if (config.enabled && events.length === 0) {
    throw codeDeployError(
      'InvalidAutoRollbackConfigException',
      'At least one event must be specified when automatic rollback is enabled.',
    );
  }
}

export function validAlarms(config: AlarmConfiguration | undefined): void {
  if (!config) return;
  const alarms = config.alarms ?? [];
  if (alarms.length > ALARM_LIMIT) {
    throw codeDeployError(
      'AlarmsLimitExceededException',
      `The maximum number of alarms for a deployment group (${ALARM_LIMIT}) was exceeded.`,
    );
  }
  if (alarms.some((alarm) => !alarm.name)) {
    throw codeDeployError('InvalidAlarmConfigException', 'Every alarm needs a name.');
  }
  if (config.enabled && alarms.length === 0) {
    throw codeDeployError(
      'InvalidAlarmConfigException',
      'At least one alarm is required when alarm monitoring is enabled.',
    );
  }
}

/**
 * The local CodeDeploy runs EC2/on-premises deployments in place without a load balancer, which is all
 * its agent can do; a blue/green or traffic-controlled Server group would accept deployments it can
 * never run, so it is refused up front with the reason.
 */
export function validDeploymentStyle(style: DeploymentStyle | undefined, platform: ComputePlatform): void {
  if (!style) return;
  if (platform !== 'Server') {
    // Lambda and ECS deployments are always blue/green with traffic control (API reference DeploymentStyle).
    if (
      (style.deploymentType !== undefined && style.deploymentType !== 'BLUE_GREEN') ||
      (style.deploymentOption !== undefined && style.deploymentOption !== 'WITH_TRAFFIC_CONTROL')
    ) {
      throw codeDeployError(
        'InvalidDeploymentStyleException',
        `A ${platform} deployment group deploys BLUE_GREEN WITH_TRAFFIC_CONTROL; leave deploymentStyle out or set those values.`,
      );
    }
    return;
  }
  // Values outside the model's enums were refused before this handler ran.
  if (style.deploymentType === 'BLUE_GREEN') {
    throw codeDeployError(
      'InvalidDeploymentStyleException',
      'The local CodeDeploy does not emulate EC2/On-premises blue/green deployments: use deploymentType IN_PLACE with deploymentOption WITHOUT_TRAFFIC_CONTROL.',
    );
  }
  if (style.deploymentOption === 'WITH_TRAFFIC_CONTROL') {
    throw codeDeployError(
      'InvalidDeploymentStyleException',
      'The local CodeDeploy has no load balancers: use deploymentOption WITHOUT_TRAFFIC_CONTROL for an in-place deployment group.',
    );
  }
}

/** Blue/green waits are capped at 2 days (BlueInstanceTerminationOption; quota "48 hours"). */
const MAX_WAIT_MINUTES = 2880;

/**
 * The blue/green settings of an ECS group: a ready wait time only with STOP_DEPLOYMENT (the service's
 * own message, as Terraform users met it), wait times within 2 days. STOP_DEPLOYMENT needs a wait
 * time: the API reference stops the deployment "before the end of the specified wait period", and
 * without one a deployment would stop the moment it is Ready. The service's answer to a missing one
 * is not documented; refusing it says what to add rather than failing every deployment later.
 */
export function validBlueGreenConfiguration(config: BlueGreenDeploymentConfiguration | undefined): void {
  if (!config) return;
  const invalid = (message: string) =>
    codeDeployError('InvalidBlueGreenDeploymentConfigurationException', message);
  const ready = config.deploymentReadyOption;
  if (ready?.actionOnTimeout !== 'STOP_DEPLOYMENT' && (ready?.waitTimeInMinutes ?? 0) > 0) {
    // The service's own text, as Terraform users met it: it goes out verbatim.
    throw serviceMessage(
      'InvalidBlueGreenDeploymentConfigurationException',
      "Deployment ready action cannot be set to 'CONTINUE_DEPLOYMENT' when timeout is specified",
    );
  }
  const termination = config.terminateBlueInstancesOnDeploymentSuccess;
  for (const [name, minutes] of [
    ['deploymentReadyOption.waitTimeInMinutes', ready?.waitTimeInMinutes],
    [
      'terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes',
      termination?.terminationWaitTimeInMinutes,
    ],
  ] as const) {
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_WAIT_MINUTES)) {
      throw invalid(
        `${name} must be a whole number of minutes from 0 to ${MAX_WAIT_MINUTES}, not ${minutes}.`,
      );
    }
  }
  if (ready?.actionOnTimeout === 'STOP_DEPLOYMENT' && !((ready.waitTimeInMinutes ?? 0) > 0)) {
    throw invalid(
      `deploymentReadyOption.actionOnTimeout STOP_DEPLOYMENT needs waitTimeInMinutes (1 to ${MAX_WAIT_MINUTES}): how long a deployment waits, Ready, for ContinueDeployment before it is Stopped.`,
    );
  }
}

/** An ECS group deploys one service (model: ECSServiceMappingLimitExceededException), named in full. */
export function validEcsServices(services: ECSService[] | undefined, required: boolean): void {
  if (services === undefined || services.length === 0) {
    if (!required) return;
    throw codeDeployError(
      'InvalidECSServiceException',
      'An ECS deployment group needs ecsServices: [{ serviceName, clusterName }] naming the service it deploys to.',
    );
  }
  if (services.length > 1) {
    throw codeDeployError(
      'ECSServiceMappingLimitExceededException',
      'An ECS deployment group deploys to exactly one service: give one ecsServices entry.',
    );
  }
  const [service] = services;
  if (!service?.serviceName || !service.clusterName) {
    throw codeDeployError(
      'InvalidECSServiceException',
      'Each ecsServices entry needs both serviceName and clusterName.',
    );
  }
}

/**
 * The target groups of an ECS group: one pair of two target groups (blue and green) behind a
 * production listener, the optional test listener beside it.
 */
export function validTargetGroupPairs(info: LoadBalancerInfo | undefined): void {
  const pairs = info?.targetGroupPairInfoList;
  if (pairs === undefined) return;
  const invalid = (message: string) => codeDeployError('InvalidTargetGroupPairException', message);
  if (pairs.length !== 1)
    throw invalid('An ECS deployment group takes exactly one targetGroupPairInfoList entry.');
  const [pair] = pairs;
  const names = (pair?.targetGroups ?? []).map((group) => group.name);
  if (names.length !== 2 || names.some((name) => !name) || names[0] === names[1]) {
    throw invalid(
      'targetGroupPairInfoList needs two different target groups (targetGroups: [{ name }, { name }]): one for the original task set, one for the replacement.',
    );
  }
  if ((pair?.prodTrafficRoute?.listenerArns?.length ?? 0) !== 1) {
    throw invalid('targetGroupPairInfoList needs prodTrafficRoute with one listener ARN.');
  }
  if (pair?.testTrafficRoute && (pair.testTrafficRoute.listenerArns?.length ?? 0) !== 1) {
    throw invalid('testTrafficRoute, when given, needs one listener ARN.');
  }
}
