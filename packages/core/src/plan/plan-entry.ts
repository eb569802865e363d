import type { DeploymentPlan } from './model.js';
import type { PlanOptions } from './plan.js';

/**
 * What `deploy` with the same options would change and how it would roll out, from read calls only
 * (see {@link import('./plan.js').buildDeploymentPlan}). The plan's modules — S3 range reads, the
 * bundle writer, the Lambda and ECS reads — load on first use, so a front end that only deploys
 * (the bundled GitHub Action) never compiles them; see loadS3 in gate/deploy.ts.
 */
export async function planDeployment(options: PlanOptions): Promise<DeploymentPlan> {
  const { buildDeploymentPlan } = await import('./plan.js');
  return buildDeploymentPlan(options);
}
