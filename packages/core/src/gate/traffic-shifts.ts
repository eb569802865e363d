import type { TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';

/** One traffic shift: move `percent` of the traffic to the new version, then wait before the next. */
export interface RoutingShift {
  /** Share of the traffic on the target (version or replacement task set) after this step, 0–100. */
  percent: number;
  /** Minutes to wait after this step before the next one (0 after the last). */
  waitMinutes: number;
}

/**
 * The shifts a deployment configuration's traffic routing takes (user guide "Deployment configurations
 * on a Lambda/ECS compute platform"): a canary shifts canaryPercentage, waits canaryInterval minutes,
 * then shifts the rest; a linear config adds linearPercentage every linearInterval minutes until
 * all traffic is shifted; AllAtOnce (and no config) shifts everything at once. The local CodeDeploy
 * runs these; `plan` shows them.
 */
export function routingShifts(config: TrafficRoutingConfig | undefined): RoutingShift[] {
  if (config?.type === 'TimeBasedCanary') {
    const percent = config.timeBasedCanary?.canaryPercentage ?? 0;
    const minutes = config.timeBasedCanary?.canaryInterval ?? 0;
    if (percent <= 0 || percent >= 100) return [{ percent: 100, waitMinutes: 0 }];
    return [
      { percent, waitMinutes: minutes },
      { percent: 100, waitMinutes: 0 },
    ];
  }
  if (config?.type === 'TimeBasedLinear') {
    const increment = config.timeBasedLinear?.linearPercentage ?? 0;
    const minutes = config.timeBasedLinear?.linearInterval ?? 0;
    if (increment <= 0) return [{ percent: 100, waitMinutes: 0 }];
    const steps: RoutingShift[] = [];
    for (let percent = increment; percent < 100; percent += increment) {
      steps.push({ percent, waitMinutes: minutes });
    }
    steps.push({ percent: 100, waitMinutes: 0 });
    return steps;
  }
  return [{ percent: 100, waitMinutes: 0 }];
}
