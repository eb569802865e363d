import type { MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';
import type { LocalState } from '../state/index.js';

/**
 * The in-place built-ins and their minimum healthy hosts, as GetDeploymentConfig reports them
 * (model doc: OneAtATime is "MOST_CONCURRENCY" 1; HalfAtATime 50%; AllAtOnce 0 hosts). Kept here
 * because the control plane's config table (src/deployment-configs) did not exist yet when the
 * engine was written; the two must agree.
 */
export const BUILT_IN_SERVER_CONFIGS: Readonly<Record<string, MinimumHealthyHosts>> = {
  'CodeDeployDefault.OneAtATime': { type: 'MOST_CONCURRENCY' as MinimumHealthyHosts['type'], value: 1 },
  'CodeDeployDefault.HalfAtATime': { type: 'FLEET_PERCENT', value: 50 },
  'CodeDeployDefault.AllAtOnce': { type: 'HOST_COUNT', value: 0 },
};

/** "If the deployment group does not have a deployment configuration associated with it, CodeDeployDefault.OneAtATime is used." */
export const DEFAULT_DEPLOYMENT_CONFIG = 'CodeDeployDefault.OneAtATime';

/** The minimum healthy hosts of a built-in or custom config, or undefined when no such config exists. */
export function minimumHealthyHostsOf(
  state: LocalState,
  configName: string,
): MinimumHealthyHosts | undefined {
  return BUILT_IN_SERVER_CONFIGS[configName] ?? state.deploymentConfigs[configName]?.minimumHealthyHosts;
}
