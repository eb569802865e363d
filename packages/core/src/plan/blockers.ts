import type { FileChanges, PlanFinding, Rollout } from './model.js';

export interface BlockerFacts {
  /** `application/group`. */
  group: string;
  /** The deployment active in the group (Created, Queued, InProgress, Baking or Ready), if any. */
  activeDeploymentId?: string | undefined;
  /** `--queue`: deploy would wait for the active deployment instead of failing. */
  queue: boolean;
  rollout?: Rollout | undefined;
  files?: FileChanges | undefined;
  /** The revision is already the group's live revision. */
  sameAsLive?: boolean | undefined;
}

/**
 * What would stop the deployment (blocking: `plan` exits 1) and what a reviewer should know
 * (warnings and notes), from the facts the plan gathered.
 */
export function findBlockers(facts: BlockerFacts): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const active = facts.activeDeploymentId;
  if (active && !facts.queue) {
    findings.push({
      severity: 'blocking',
      code: 'group-busy',
      message: `deployment group ${facts.group} already has an active deployment ${active}: deploy would fail`,
      hint: `Wait for it (codedeploy-gate wait ${active}), stop it (codedeploy-gate stop ${active}), or deploy with --queue to start after it ends.`,
    });
  } else if (active) {
    findings.push({
      severity: 'note',
      code: 'queued',
      message: `deployment ${active} is active in ${facts.group}: with --queue, deploy waits for it to end, then deploys`,
    });
  }
  const rollout = facts.rollout;
  if (rollout && rollout.targets === 0) {
    findings.push({
      severity: 'blocking',
      code: 'no-instances',
      message: `no instances match deployment group ${facts.group}: CodeDeploy would fail the deployment (NO_INSTANCES)`,
      hint: 'Register and tag instances as the group’s tag filters say, or fix the group’s filters.',
    });
  } else if (rollout?.invalid) {
    findings.push({
      severity: 'blocking',
      code: 'minimum-healthy-unreachable',
      message: `deployment configuration ${rollout.deploymentConfig} keeps ${rollout.minimumHealthy} instances healthy, and the group has ${rollout.targets}: CodeDeploy would fail it before deploying (HEALTH_CONSTRAINTS_INVALID)`,
      hint: 'Use a configuration with a lower minimum (e.g. CodeDeployDefault.OneAtATime), or add instances.',
    });
  }
  const offline = rollout?.offline ?? [];
  if (rollout && offline.length > 0) {
    const names = offline.map((instance) => instance.id).join(', ');
    // Too few left to deploy is what stops it; otherwise the deployment runs without them.
    const stops = rollout.targets === 0 || rollout.invalid;
    findings.push({
      severity: stops ? 'blocking' : 'warning',
      code: 'instances-offline',
      message: stops
        ? `${offline.length} instance(s) of ${facts.group} are deregistered (offline): ${names}; the ${rollout.targets} left cannot keep ${rollout.minimumHealthy} healthy as ${rollout.deploymentConfig} requires`
        : `${offline.length} instance(s) of ${facts.group} are deregistered (offline) and would not get this revision: ${names}`,
      hint: 'Register them again (RegisterOnPremisesInstance) or remove their tags so the group no longer expects them.',
    });
  }
  const unhealthy = rollout?.batches.flat().filter((target) => target.standing === 'unhealthy') ?? [];
  if (rollout && unhealthy.length > 0) {
    findings.push({
      severity: 'warning',
      code: 'unhealthy-instances',
      message: `${unhealthy.length} instance(s) failed the group's last deployment and go first: ${unhealthy.map((t) => t.id).join(', ')}${unhealthy.length > rollout.failureBudget ? `; more than the ${rollout.failureBudget} failure(s) ${rollout.deploymentConfig} tolerates if they fail again` : ''}`,
      hint: 'Look at why they failed (codedeploy-gate status on the last deployment) before deploying again.',
    });
  }
  if (facts.sameAsLive) {
    findings.push({
      severity: 'note',
      code: 'unchanged',
      message: 'this exact revision is already the group’s live revision: deploying it changes no file',
    });
  }
  return findings;
}
