import type { TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { TrafficStep } from './model.js';

/**
 * The traffic steps of a Lambda or ECS configuration: a canary moves its percentage, waits its
 * interval, then moves the rest; a linear one adds its percentage every interval until all traffic
 * is shifted; all-at-once moves everything at the start.
 */
export function trafficSteps(routing: TrafficRoutingConfig | undefined): TrafficStep[] {
  if (routing?.type === 'TimeBasedCanary') {
    const percent = routing.timeBasedCanary?.canaryPercentage ?? 0;
    const interval = routing.timeBasedCanary?.canaryInterval ?? 0;
    return [
      { atMinutes: 0, percent },
      { atMinutes: interval, percent: 100 },
    ];
  }
  if (routing?.type === 'TimeBasedLinear') {
    const percent = routing.timeBasedLinear?.linearPercentage ?? 0;
    const interval = routing.timeBasedLinear?.linearInterval ?? 0;
    if (percent <= 0) return [{ atMinutes: 0, percent: 100 }];
    const steps: TrafficStep[] = [];
    for (let i = 0; ; i++) {
      const shifted = Math.min(100, percent * (i + 1));
      steps.push({ atMinutes: interval * i, percent: shifted });
      if (shifted >= 100) return steps;
    }
  }
  return [{ atMinutes: 0, percent: 100 }];
}

/** `10 % for 5 min, then 100 %`. */
export function describeSteps(steps: TrafficStep[]): string {
  return steps
    .map((step, index) => {
      const next = steps[index + 1];
      return next ? `${step.percent} % for ${next.atMinutes - step.atMinutes} min` : `${step.percent} %`;
    })
    .join(', then ');
}
