import type { ECSService } from '@aws-sdk/client-codedeploy';
import { InvalidInputError } from '../errors/index.js';
import type { EcsRevisionSource } from '../gate/revision-source.js';

/** Checks an ECS source's own fields before any call. */
export function checkEcsSource(source: EcsRevisionSource): void {
  const port = source.containerPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new InvalidInputError(`container port ${port} is not a port number`, {
      hint: 'Give the container port the load balancer sends traffic to, 1 to 65535 (e.g. 80).',
    });
  }
  const network = source.networkConfiguration;
  if (network !== undefined) {
    if (network.subnets.length === 0) {
      throw new InvalidInputError('the network configuration names no subnets', {
        hint: 'Give the subnets of the replacement tasks, or leave the network configuration out to keep the service’s.',
      });
    }
    if (network.securityGroups === undefined || network.securityGroups.length === 0) {
      throw new InvalidInputError('the network configuration names subnets but no security groups', {
        hint: 'CodeDeploy takes subnets, security groups and public IP assignment together: give the security groups too.',
      });
    }
  }
  for (const [index, item] of (source.capacityProviderStrategy ?? []).entries()) {
    if (item.provider.trim() === '') {
      throw new InvalidInputError(`capacity provider ${index + 1} of the strategy has no name`, {
        hint: 'Name each capacity provider (FARGATE, FARGATE_SPOT or an Auto Scaling group provider).',
      });
    }
  }
}

/**
 * The cluster and service the deployment moves: the deployment group's (its first ECS service), which
 * a given cluster/service must match — CodeDeploy deploys to the group's service whatever the AppSpec
 * says, so a different one is a mistake worth stopping for.
 */
export function targetServiceOf(
  source: Pick<EcsRevisionSource, 'cluster' | 'service'>,
  groupServices: readonly ECSService[] | undefined,
): { cluster: string; service: string } {
  const group = groupServices?.[0];
  const groupCluster = group?.clusterName;
  const groupService = group?.serviceName;
  if (source.service === undefined) {
    if (groupService === undefined) {
      throw new InvalidInputError('no ECS service to deploy to: the deployment group names none', {
        hint: 'Name the cluster and service, or fix the deployment group (its ECS service).',
      });
    }
    return { cluster: source.cluster ?? groupCluster ?? 'default', service: groupService };
  }
  const cluster = source.cluster ?? groupCluster ?? 'default';
  if (
    groupService !== undefined &&
    (lastSegment(source.service) !== lastSegment(groupService) ||
      (groupCluster !== undefined && lastSegment(cluster) !== lastSegment(groupCluster)))
  ) {
    throw new InvalidInputError(
      `the deployment group deploys to ECS service ${groupCluster ?? 'default'}/${groupService}, not ${cluster}/${source.service}; nothing was created`,
      { hint: "Name the group's service, or deploy with the deployment group of the service you meant." },
    );
  }
  return { cluster, service: source.service };
}

/** ECS family names: letters, digits, - and _, up to 255. */
export function checkFamily(family: string | undefined, from: string): string {
  if (family === undefined || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new InvalidInputError(
      `${from}: family ${JSON.stringify(family)} may hold only letters, digits, - and _ (up to 255)`,
      {
        hint: 'Fix the task definition family name.',
      },
    );
  }
  return family;
}

/** `web` from `web`, `arn:aws:ecs:…:service/prod/web` or `arn:aws:ecs:…:cluster/prod`. */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
