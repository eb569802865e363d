import { randomUUID } from 'node:crypto';
import type {
  ComputePlatform,
  CreateDeploymentConfigInput,
  CreateDeploymentConfigOutput,
  DeleteDeploymentConfigInput,
  DeploymentConfigInfo,
  GetDeploymentConfigInput,
  GetDeploymentConfigOutput,
  ListDeploymentConfigsInput,
  ListDeploymentConfigsOutput,
  MinimumHealthyHosts,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { LocalState } from '../state/index.js';
import { deploymentConfigArn } from '../tags/arns.js';
import {
  codeDeployError,
  deploymentConfigAlreadyExists,
  deploymentConfigDoesNotExist,
} from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';
import { pageOf } from '../wire/paging.js';
import { BUILT_IN_CONFIGS, BUILT_IN_PREFIX } from './built-ins.js';

/** Custom deployment configs per account (CodeDeploy quotas, not adjustable). */
const CUSTOM_CONFIG_LIMIT = 50;

/** A built-in or custom config by name, or undefined. */
export function findDeploymentConfig(state: LocalState, name: string): DeploymentConfigInfo | undefined {
  return BUILT_IN_CONFIGS[name] ?? state.deploymentConfigs[name];
}

/** DeploymentConfigNameRequired / InvalidDeploymentConfigName / DeploymentConfigDoesNotExist. */
export function requireDeploymentConfig(state: LocalState, name: unknown): DeploymentConfigInfo {
  const configName = validConfigName(name);
  const config = findDeploymentConfig(state, configName);
  if (!config) throw deploymentConfigDoesNotExist(configName);
  return config;
}

function validConfigName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw codeDeployError('DeploymentConfigNameRequiredException');
  }
  return name;
}

export function createDeploymentConfig(
  input: CreateDeploymentConfigInput,
  context: OperationContext,
): CreateDeploymentConfigOutput {
  const state = context.store.state;
  const name = validConfigName(input.deploymentConfigName);
  if (name.startsWith(BUILT_IN_PREFIX)) {
    throw codeDeployError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration name cannot start with the reserved prefix ${BUILT_IN_PREFIX}: ${name}`,
    );
  }
  if (findDeploymentConfig(state, name)) {
    throw deploymentConfigAlreadyExists(name);
  }
  const computePlatform = input.computePlatform ?? 'Server';
  const settings =
    computePlatform === 'Server'
      ? { minimumHealthyHosts: validMinimumHealthyHosts(input.minimumHealthyHosts) }
      : { trafficRoutingConfig: validTrafficRouting(input.trafficRoutingConfig, computePlatform) };
  if (Object.keys(state.deploymentConfigs).length >= CUSTOM_CONFIG_LIMIT) {
    throw codeDeployError(
      'DeploymentConfigLimitExceededException',
      `The deployment configurations limit (${CUSTOM_CONFIG_LIMIT}) was exceeded.`,
    );
  }
  const deploymentConfigId = randomUUID();
  context.store.update((current) => {
    current.deploymentConfigs[name] = {
      deploymentConfigId,
      deploymentConfigName: name,
      createTime: context.now(),
      computePlatform,
      ...settings,
      ...(computePlatform === 'Server' && input.zonalConfig ? { zonalConfig: input.zonalConfig } : {}),
    };
  });
  return { deploymentConfigId };
}

/**
 * HOST_COUNT: any integer ≥ 0; FLEET_PERCENT: an integer 0–99 (CodeDeploy quotas). The service
 * requires minimumHealthyHosts for an EC2/on-premises config.
 */
function validMinimumHealthyHosts(value: MinimumHealthyHosts | undefined): MinimumHealthyHosts {
  const invalid = (why: string) =>
    codeDeployError('InvalidMinimumHealthyHostValueException', `Value: ${why}.`);
  if (!value?.type)
    throw invalid('minimumHealthyHosts with a type (HOST_COUNT or FLEET_PERCENT) is required.');
  const amount = value.value;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0) {
    throw invalid(`${String(amount)} is not a whole number ≥ 0.`);
  }
  if (value.type === 'FLEET_PERCENT') {
    if (amount > 99) throw invalid(`FLEET_PERCENT must be between 0 and 99, not ${amount}.`);
  } else if (value.type !== 'HOST_COUNT') {
    throw invalid(`type must be HOST_COUNT or FLEET_PERCENT, not ${value.type}.`);
  }
  return { type: value.type, value: amount };
}

function validTrafficRouting(
  value: TrafficRoutingConfig | undefined,
  platform: ComputePlatform,
): TrafficRoutingConfig {
  const invalid = (why: string) =>
    codeDeployError(
      'InvalidTrafficRoutingConfigurationException',
      `The traffic routing configuration is invalid: ${why}`,
    );
  if (!value?.type) throw invalid(`a ${platform} deployment configuration needs a trafficRoutingConfig.`);
  const percent = (p: number | undefined) =>
    typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 99;
  const minutes = (m: number | undefined) =>
    typeof m === 'number' && Number.isInteger(m) && m >= 1 && m <= 2880;
  if (value.type === 'TimeBasedCanary') {
    const canary = value.timeBasedCanary;
    if (!percent(canary?.canaryPercentage) || !minutes(canary?.canaryInterval)) {
      throw invalid('timeBasedCanary needs canaryPercentage 1–99 and canaryInterval 1–2880 minutes.');
    }
  } else if (value.type === 'TimeBasedLinear') {
    const linear = value.timeBasedLinear;
    if (!percent(linear?.linearPercentage) || !minutes(linear?.linearInterval)) {
      throw invalid('timeBasedLinear needs linearPercentage 1–99 and linearInterval 1–2880 minutes.');
    }
  } else if (value.type !== 'AllAtOnce') {
    throw invalid(`type must be TimeBasedCanary, TimeBasedLinear or AllAtOnce, not ${value.type}.`);
  }
  return value;
}

export function getDeploymentConfig(
  input: GetDeploymentConfigInput,
  context: OperationContext,
): GetDeploymentConfigOutput {
  return {
    deploymentConfigInfo: structuredClone(
      requireDeploymentConfig(context.store.state, input.deploymentConfigName),
    ),
  };
}

export function listDeploymentConfigs(
  input: ListDeploymentConfigsInput,
  context: OperationContext,
): ListDeploymentConfigsOutput {
  const names = [
    ...Object.keys(BUILT_IN_CONFIGS),
    ...Object.keys(context.store.state.deploymentConfigs),
  ].sort();
  const { items, nextToken } = pageOf(names, input.nextToken);
  return { deploymentConfigsList: items, ...(nextToken ? { nextToken } : {}) };
}

/** Built-ins cannot be deleted, nor a config a deployment group uses; an unknown name is a no-op. */
export function deleteDeploymentConfig(
  input: DeleteDeploymentConfigInput,
  context: OperationContext,
): Record<string, never> {
  const name = validConfigName(input.deploymentConfigName);
  if (BUILT_IN_CONFIGS[name] || name.startsWith(BUILT_IN_PREFIX)) {
    throw codeDeployError(
      'InvalidOperationException',
      `The deployment configuration ${name} is a predefined configuration and cannot be deleted.`,
    );
  }
  const state = context.store.state;
  if (!state.deploymentConfigs[name]) return {};
  const user = Object.values(state.deploymentGroups).find((group) => group.deploymentConfigName === name);
  if (user) {
    throw codeDeployError(
      'DeploymentConfigInUseException',
      `The deployment configuration ${name} is in use by deployment group ${user.applicationName}/${user.deploymentGroupName}.`,
    );
  }
  context.store.update((current) => {
    delete current.deploymentConfigs[name];
    delete current.tags[deploymentConfigArn(context, name)];
  });
  return {};
}
