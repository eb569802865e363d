import { createHash } from 'node:crypto';
import type { DeploymentConfigInfo, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import { BUILT_IN_SERVER_CONFIGS } from '../engine/index.js';

/** Built-in configs carry no user creation time; one fixed, old date stands for "always there". */
const BUILT_IN_CREATE_TIME = new Date('2014-11-12T00:00:00.000Z');

function canary(percentage: number, minutes: number): TrafficRoutingConfig {
  return {
    type: 'TimeBasedCanary',
    timeBasedCanary: { canaryPercentage: percentage, canaryInterval: minutes },
  };
}

function linear(percentage: number, minutes: number): TrafficRoutingConfig {
  return {
    type: 'TimeBasedLinear',
    timeBasedLinear: { linearPercentage: percentage, linearInterval: minutes },
  };
}

const ALL_AT_ONCE: TrafficRoutingConfig = { type: 'AllAtOnce' };

const LAMBDA: Record<string, TrafficRoutingConfig> = {
  LambdaAllAtOnce: ALL_AT_ONCE,
  LambdaCanary10Percent5Minutes: canary(10, 5),
  LambdaCanary10Percent10Minutes: canary(10, 10),
  LambdaCanary10Percent15Minutes: canary(10, 15),
  LambdaCanary10Percent30Minutes: canary(10, 30),
  LambdaLinear10PercentEvery1Minute: linear(10, 1),
  LambdaLinear10PercentEvery2Minutes: linear(10, 2),
  LambdaLinear10PercentEvery3Minutes: linear(10, 3),
  LambdaLinear10PercentEvery10Minutes: linear(10, 10),
};

const ECS: Record<string, TrafficRoutingConfig> = {
  ECSAllAtOnce: ALL_AT_ONCE,
  ECSCanary10Percent5Minutes: canary(10, 5),
  ECSCanary10Percent15Minutes: canary(10, 15),
  ECSLinear10PercentEvery1Minutes: linear(10, 1),
  ECSLinear10PercentEvery3Minutes: linear(10, 3),
};

/** A stable id per built-in, so GetDeploymentConfig answers the same id across restarts. */
function builtInId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function builtIn(name: string, fields: Partial<DeploymentConfigInfo>): [string, DeploymentConfigInfo] {
  return [
    name,
    {
      deploymentConfigId: builtInId(name),
      deploymentConfigName: name,
      createTime: BUILT_IN_CREATE_TIME,
      ...fields,
    },
  ];
}

/**
 * The predefined `CodeDeployDefault.*` configs as GetDeploymentConfig reports them. The in-place ones
 * come from the engine's table (the one that schedules deployments), so the two cannot disagree.
 */
export const BUILT_IN_CONFIGS: Readonly<Record<string, DeploymentConfigInfo>> = Object.fromEntries([
  ...Object.entries(BUILT_IN_SERVER_CONFIGS).map(([name, minimumHealthyHosts]) =>
    builtIn(name, { minimumHealthyHosts, computePlatform: 'Server' }),
  ),
  ...Object.entries(LAMBDA).map(([name, trafficRoutingConfig]) =>
    builtIn(`CodeDeployDefault.${name}`, { trafficRoutingConfig, computePlatform: 'Lambda' }),
  ),
  ...Object.entries(ECS).map(([name, trafficRoutingConfig]) =>
    builtIn(`CodeDeployDefault.${name}`, { trafficRoutingConfig, computePlatform: 'ECS' }),
  ),
]);

export const BUILT_IN_PREFIX = 'CodeDeployDefault.';
