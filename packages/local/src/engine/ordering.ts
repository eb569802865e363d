/** What the scheduler knows about an instance before a deployment (user guide "Instance health"). */
export interface InstanceStanding {
  name: string;
  health: 'Healthy' | 'Unhealthy';
  /** Current: on the group's last successful revision; Old: on another; Unknown: nothing installed successfully. */
  revisionHealth: 'Current' | 'Old' | 'Unknown';
}

const REVISION_RANK = { Unknown: 0, Old: 1, Current: 2 } as const;

/**
 * The order CodeDeploy deploys in: "1. Unhealthy instance health. 2. Unknown revision health. 3. Old
 * revision health. 4. Current revision health." Ties go by name so runs are reproducible (the service
 * itself makes no ordering guarantee among equals).
 */
export function deploymentOrder(instances: readonly InstanceStanding[]): string[] {
  return [...instances]
    .sort(
      (a, b) =>
        rankHealth(a) - rankHealth(b) ||
        REVISION_RANK[a.revisionHealth] - REVISION_RANK[b.revisionHealth] ||
        a.name.localeCompare(b.name),
    )
    .map((instance) => instance.name);
}

function rankHealth(instance: InstanceStanding): number {
  return instance.health === 'Unhealthy' ? 0 : 1;
}
