import type { MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';

/**
 * How a deployment of `total` targets may proceed under a config's minimum healthy hosts
 * (user guide "Instance health", model doc of MinimumHealthyHosts).
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

/** Per-target tallies the decisions below look at. */
export interface Progress {
  succeeded: number;
  failed: number;
  /** Targets on the deployment's revision already (updateOutdatedInstancesOnly): healthy, not deployed to. */
  skipped: number;
  inProgress: number;
  pending: number;
}

/**
 * How many more instances may start now. An instance being deployed to is not healthy, so failed plus
 * in-progress instances may never exceed the failure budget: "a deployment must never cause the number
 * of healthy instances to fall below the minimum".
 */
export function openSlots(plan: Extract<HealthPlan, { kind: 'deploy' }>, progress: Progress): number {
  const limit = Math.min(plan.batchSize, plan.failureBudget - progress.failed);
  return Math.max(Math.min(limit - progress.inProgress, progress.pending), 0);
}

/**
 * Whether the deployment must stop scheduling and fail now: the failures have brought the healthy
 * count down to the minimum while instances are still waiting. The user guide's exception — "if the
 * last instance fails, the deployment still succeeds" — is the `pending > 0` condition.
 */
export function minimumBroken(plan: Extract<HealthPlan, { kind: 'deploy' }>, progress: Progress): boolean {
  if (progress.failed > plan.failureBudget) return true;
  return progress.failed === plan.failureBudget && progress.pending > 0;
}

/**
 * The outcome once no instance is pending or in progress: enough healthy hosts, and at least one
 * instance deployed successfully ("even if the minimum healthy hosts value is 0, deployment to at
 * least one instance must succeed"). A deployment whose every target was already current succeeds.
 */
export function finalOutcome(
  plan: Extract<HealthPlan, { kind: 'deploy' }>,
  progress: Progress,
): 'Succeeded' | 'Failed' {
  if (progress.pending > 0 || progress.inProgress > 0) return 'Failed';
  if (progress.failed > plan.failureBudget) return 'Failed';
  if (progress.succeeded + progress.skipped < plan.minimumHealthy) return 'Failed';
  if (progress.succeeded === 0 && progress.failed > 0) return 'Failed';
  return 'Succeeded';
}
