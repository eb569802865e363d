import { ECS_HOOK_EVENTS, type EcsHookEvent } from '../appspec/hook-events.js';
import { type AppspecFormat, hookList, type ServiceAppspec, writeServiceAppspec } from '../appspec/write.js';
import type { EcsRevisionSource, HookFunctions } from '../gate/revision-source.js';

export interface EcsAppspecInput {
  /** The registered task definition's ARN (with its revision). */
  taskDefinitionArn: string;
  containerName: string;
  containerPort: number;
  platformVersion?: string | undefined;
  networkConfiguration?: EcsRevisionSource['networkConfiguration'];
  capacityProviderStrategy?: EcsRevisionSource['capacityProviderStrategy'];
  hooks?: HookFunctions<EcsHookEvent> | undefined;
}

/**
 * An ECS AppSpec: the TargetService resource (task definition, load balancer container and port, and
 * the optional platform version, awsvpc network configuration and capacity provider strategy) and
 * the hook functions in lifecycle order. Pure; the caller validates it (`assertValidBuiltAppspec`).
 * AssignPublicIp defaults to DISABLED (ECS's own default), since CodeDeploy wants all three awsvpc
 * settings or none.
 */
export function buildEcsAppspec(input: EcsAppspecInput, format: AppspecFormat = 'yaml'): string {
  const properties: ServiceAppspec['Resources'][number][string]['Properties'] = {
    TaskDefinition: input.taskDefinitionArn,
    LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
  };
  if (input.platformVersion !== undefined) properties.PlatformVersion = input.platformVersion;
  const network = input.networkConfiguration;
  if (network !== undefined) {
    properties.NetworkConfiguration = {
      AwsvpcConfiguration: {
        Subnets: network.subnets,
        SecurityGroups: network.securityGroups ?? [],
        AssignPublicIp: network.assignPublicIp ?? 'DISABLED',
      },
    };
  }
  if (input.capacityProviderStrategy !== undefined && input.capacityProviderStrategy.length > 0) {
    properties.CapacityProviderStrategy = input.capacityProviderStrategy.map((item) => ({
      ...(item.base !== undefined ? { Base: item.base } : {}),
      CapacityProvider: item.provider,
      ...(item.weight !== undefined ? { Weight: item.weight } : {}),
    }));
  }
  const appspec: ServiceAppspec = {
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }],
    Hooks: hookList(ECS_HOOK_EVENTS, input.hooks),
  };
  return writeServiceAppspec(appspec, format);
}
