import { createHash } from 'node:crypto';
import type { DeploymentConfigInfo } from '@aws-sdk/client-codedeploy';
import { BUILT_IN_SERVER_CONFIGS, BUILT_IN_TRAFFIC_CONFIGS } from '../engine/index.js';
import { type NameTable, nameTable } from '../state/index.js';

/** Built-in configs carry no user creation time; one fixed, old date stands for "always there". */
const BUILT_IN_CREATE_TIME = new Date('2014-11-12T00:00:00.000Z');

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
 * The predefined `CodeDeployDefault.*` configs as GetDeploymentConfig reports them, from the engine's
 * tables (the ones that schedule deployments), so the two cannot disagree.
 */
export const BUILT_IN_CONFIGS: Readonly<NameTable<DeploymentConfigInfo>> = nameTable([
  ...Object.entries(BUILT_IN_SERVER_CONFIGS).map(([name, minimumHealthyHosts]) =>
    builtIn(name, { minimumHealthyHosts, computePlatform: 'Server' }),
  ),
  ...Object.entries(BUILT_IN_TRAFFIC_CONFIGS).map(([name, config]) => builtIn(name, config)),
]);

export const BUILT_IN_PREFIX = 'CodeDeployDefault.';
