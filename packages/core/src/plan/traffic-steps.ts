import type { TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import { routingShifts } from '../gate/traffic-shifts.js';
import type { TrafficStep } from './model.js';

/** The shifts of a Lambda or ECS configuration with the minute each one starts at. */
export function trafficSteps(routing: TrafficRoutingConfig | undefined): TrafficStep[] {
  let at = 0;
  return routingShifts(routing).map((shift) => {
    const step = { atMinutes: at, percent: shift.percent };
    at += shift.waitMinutes;
    return step;
  });
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
