import type { ComputePlatform, MinimumHealthyHosts, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import { type LocalState, type NameTable, nameTable } from '../state/index.js';

/**
 * The in-place built-ins and their minimum healthy hosts, as GetDeploymentConfig reports them
 * (model doc: OneAtATime is "MOST_CONCURRENCY" 1; HalfAtATime 50%; AllAtOnce 0 hosts). The engine
 * schedules by these tables and src/deployment-configs reports them, so the two cannot disagree.
 */
export const BUILT_IN_SERVER_CONFIGS: Readonly<NameTable<MinimumHealthyHosts>> = nameTable([
  ['CodeDeployDefault.OneAtATime', { type: 'MOST_CONCURRENCY' as MinimumHealthyHosts['type'], value: 1 }],
  ['CodeDeployDefault.HalfAtATime', { type: 'FLEET_PERCENT', value: 50 }],
  ['CodeDeployDefault.AllAtOnce', { type: 'HOST_COUNT', value: 0 }],
]);

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

export interface TrafficConfig {
  computePlatform: Extract<ComputePlatform, 'Lambda' | 'ECS'>;
  trafficRoutingConfig: TrafficRoutingConfig;
}

/** The predefined Lambda and ECS configs (user guide "Deployment configurations"), by full name. */
export const BUILT_IN_TRAFFIC_CONFIGS: Readonly<NameTable<TrafficConfig>> = nameTable([
  ...Object.entries({
    LambdaAllAtOnce: ALL_AT_ONCE,
    LambdaCanary10Percent5Minutes: canary(10, 5),
    LambdaCanary10Percent10Minutes: canary(10, 10),
    LambdaCanary10Percent15Minutes: canary(10, 15),
    LambdaCanary10Percent30Minutes: canary(10, 30),
    LambdaLinear10PercentEvery1Minute: linear(10, 1),
    LambdaLinear10PercentEvery2Minutes: linear(10, 2),
    LambdaLinear10PercentEvery3Minutes: linear(10, 3),
    LambdaLinear10PercentEvery10Minutes: linear(10, 10),
  }).map(([name, trafficRoutingConfig]): [string, TrafficConfig] => [
    `CodeDeployDefault.${name}`,
    { computePlatform: 'Lambda', trafficRoutingConfig },
  ]),
  ...Object.entries({
    ECSAllAtOnce: ALL_AT_ONCE,
    ECSCanary10Percent5Minutes: canary(10, 5),
    ECSCanary10Percent15Minutes: canary(10, 15),
    ECSLinear10PercentEvery1Minutes: linear(10, 1),
    ECSLinear10PercentEvery3Minutes: linear(10, 3),
  }).map(([name, trafficRoutingConfig]): [string, TrafficConfig] => [
    `CodeDeployDefault.${name}`,
    { computePlatform: 'ECS', trafficRoutingConfig },
  ]),
]);

/** "If the deployment group does not have a deployment configuration associated with it, CodeDeployDefault.OneAtATime is used." */
export const DEFAULT_DEPLOYMENT_CONFIG = 'CodeDeployDefault.OneAtATime';

/** The minimum healthy hosts of a built-in or custom config, or undefined when no such config exists. */
export function minimumHealthyHostsOf(
  state: LocalState,
  configName: string,
): MinimumHealthyHosts | undefined {
  return BUILT_IN_SERVER_CONFIGS[configName] ?? state.deploymentConfigs[configName]?.minimumHealthyHosts;
}

/** A Lambda or ECS config (built-in or custom): its platform and traffic routing; undefined when there is none. */
export function trafficConfigOf(state: LocalState, configName: string): TrafficConfig | undefined {
  const builtIn = BUILT_IN_TRAFFIC_CONFIGS[configName];
  if (builtIn) return builtIn;
  const custom = state.deploymentConfigs[configName];
  if (
    (custom?.computePlatform !== 'Lambda' && custom?.computePlatform !== 'ECS') ||
    !custom.trafficRoutingConfig
  ) {
    return undefined;
  }
  return { computePlatform: custom.computePlatform, trafficRoutingConfig: custom.trafficRoutingConfig };
}
