import type { MinimumHealthyHosts } from '@aws-sdk/client-codedeploy';
import { planHealth } from './minimum-healthy.js';
import type { InstanceStanding, PlannedTarget, Rollout } from './model.js';

/** CodeDeploy's scheduling order (user guide, "Instance health"): unhealthy instances go first. */
const ORDER: InstanceStanding[] = ['unhealthy', 'unknown', 'old', 'current'];

/**
 * CodeDeploy's default configuration, as GetDeploymentConfig reports it: a type the SDK's enum lacks
 * (you cannot create one with it), hence the cast.
 */
const ONE_AT_A_TIME = { type: 'MOST_CONCURRENCY', value: 1 } as unknown as MinimumHealthyHosts;

/**
 * How an in-place deployment would roll out over `targets` under a config's minimum healthy hosts:
 * the batch size is the failure budget (as many instances as can fail without undercutting the
 * minimum), instances in scheduling order (within one standing CodeDeploy promises no order; they
 * are listed by name). `MOST_CONCURRENCY` is what GetDeploymentConfig reports for OneAtATime: all
 * instances but one stay healthy, and the last instance may fail.
 */
export function planRollout(
  deploymentConfig: string,
  minimum: MinimumHealthyHosts | undefined,
  targets: PlannedTarget[],
  targetSource: string,
): Rollout {
  const total = targets.length;
  const ordered = [...targets].sort(
    (a, b) =>
      ORDER.indexOf(a.standing) - ORDER.indexOf(b.standing) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const health = planHealth(minimum ?? ONE_AT_A_TIME, total);
  const invalid = health.kind === 'invalid';
  const minimumHealthy = health.minimumHealthy;
  const failureBudget = health.kind === 'deploy' ? health.failureBudget : 0;
  const batchSize = health.kind === 'deploy' ? health.batchSize : 0;
  const batches: PlannedTarget[][] = [];
  if (!invalid) for (let i = 0; i < total; i += batchSize) batches.push(ordered.slice(i, i + batchSize));
  return {
    deploymentConfig,
    ...(minimum ? { minimumHealthyHosts: minimum } : {}),
    targets: total,
    minimumHealthy,
    batchSize,
    failureBudget,
    invalid,
    batches,
    failsWhen: failsWhen(total, minimumHealthy, failureBudget, invalid),
    targetSource,
  };
}

function failsWhen(total: number, minimumHealthy: number, budget: number, invalid: boolean): string {
  if (total === 0) return 'no instance would be deployed to';
  if (invalid) {
    return `fails before deploying anything: ${minimumHealthy} healthy instances required of ${total} (HEALTH_CONSTRAINTS_INVALID)`;
  }
  if (total === 1) return 'fails if the only instance fails';
  if (minimumHealthy === 0) return 'fails only if every instance fails';
  const plural = budget === 1 ? 'one instance fails' : `${budget} instances fail`;
  return `fails as soon as ${plural} while instances are still waiting (${minimumHealthy} of ${total} must stay healthy); a failure on the last instance still succeeds`;
}
