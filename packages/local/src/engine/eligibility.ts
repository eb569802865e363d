import type { DeploymentGroupInfo, InstanceInfo } from '@aws-sdk/client-codedeploy';
import { groupSelectsInstance } from '@codedeploy-gate/core/plan';

// Which instances a group selects is core's rule: `plan` lists the instances this deploys to.
export { groupSelectsInstance, tagFilterMatches } from '@codedeploy-gate/core/plan';

/** The names of the registered instances a deployment to this group targets, sorted. */
export function eligibleInstances(
  group: DeploymentGroupInfo,
  instances: Record<string, InstanceInfo>,
): string[] {
  return Object.entries(instances)
    .filter(([, instance]) => groupSelectsInstance(group, instance))
    .map(([name]) => name)
    .sort();
}
