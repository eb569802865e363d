import type { HealthPlan } from '@codedeploy-gate/core/plan';

// How many instances must stay healthy, and how many go at once, is core's rule: `plan` shows the
// batches this deploys in.
export { type HealthPlan, planHealth } from '@codedeploy-gate/core/plan';

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
