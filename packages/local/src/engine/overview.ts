import type { DeploymentOverview, InstanceTarget } from '@aws-sdk/client-codedeploy';

/** deploymentOverview as the service reports it: one count per target status, always summing to the targets. */
export function overviewOf(targets: Record<string, InstanceTarget>): DeploymentOverview {
  const overview: Required<DeploymentOverview> = {
    Pending: 0,
    InProgress: 0,
    Succeeded: 0,
    Failed: 0,
    Skipped: 0,
    Ready: 0,
  };
  for (const target of Object.values(targets)) {
    const status = target.status;
    if (status && status in overview) overview[status as keyof DeploymentOverview] += 1;
  }
  return overview;
}
