import type { MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';

/**
 * How a deployment of `total` targets may proceed under a config's minimum healthy hosts
 * (user guide "Instance health", model doc of MinimumHealthyHosts). The local CodeDeploy deploys
 * by it; `plan` shows its batches.
 */
export type HealthPlan =
  | {
      kind: 'deploy';
      /** Instances that must be healthy when the deployment ends (and may not be undercut mid-way). */
      minimumHealthy: number;
      /** Instances deployed to at the same time. */
      batchSize: number;
      /** Failed instances the deployment tolerates (`total - minimumHealthy`). */
      failureBudget: number;
    }
  /** HEALTH_CONSTRAINTS_INVALID: the minimum already equals or exceeds the fleet, nothing is deployed. */
  | { kind: 'invalid'; minimumHealthy: number };

/**
 * `MOST_CONCURRENCY` is what GetDeploymentConfig reports for CodeDeployDefault.OneAtATime: "all
 * instances but one are kept in a healthy state", and the last instance may fail.
 */
export function planHealth(minimum: MinimumHealthyHosts, total: number): HealthPlan {
  if ((minimum.type as string) === 'MOST_CONCURRENCY') {
    const minimumHealthy = Math.max(total - 1, 0);
    return { kind: 'deploy', minimumHealthy, batchSize: 1, failureBudget: total - minimumHealthy };
  }
  const value = minimum.value ?? 0;
  // "at the start of the deployment, CodeDeploy converts the percentage to the equivalent number of
  // instances and rounds up fractional instances"
  const minimumHealthy = minimum.type === 'FLEET_PERCENT' ? Math.ceil((total * value) / 100) : value;
  if (minimumHealthy >= total && minimumHealthy > 0) return { kind: 'invalid', minimumHealthy };
  const failureBudget = total - minimumHealthy;
  return { kind: 'deploy', minimumHealthy, batchSize: Math.max(failureBudget, 1), failureBudget };
}
