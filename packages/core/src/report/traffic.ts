import type { DeploymentTarget, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { TrafficShift } from './model.js';

/**
 * A Lambda target's weight as a percentage. The API documents `targetVersionWeight` as a percentage,
 * while Lambda alias routing (which CodeDeploy drives) weighs versions as fractions of 1; values up to
 * 1 are read as fractions so both render. (A 1% shift therefore reads as 100%: no predefined
 * configuration shifts by 1%, and the target's versions still tell the story.)
 */
export function weightPercent(weight: number): number {
  return Number((weight <= 1 ? weight * 100 : weight).toFixed(2));
}

/** `canary 10% then 100% after 5m`, `linear 10% every 1m`, `all at once`; undefined for EC2 configs. */
export function routingText(routing: TrafficRoutingConfig | undefined): string | undefined {
  switch (routing?.type) {
    case 'TimeBasedCanary': {
      const canary = routing.timeBasedCanary;
      return `canary ${canary?.canaryPercentage ?? '?'}% then 100% after ${minutes(canary?.canaryInterval)}`;
    }
    case 'TimeBasedLinear': {
      const linear = routing.timeBasedLinear;
      return `linear ${linear?.linearPercentage ?? '?'}% every ${minutes(linear?.linearInterval)}`;
    }
    case 'AllAtOnce':
      return 'all at once';
    default:
      return undefined;
  }
}

/**
 * How many shifts the routing makes in all, and how many a traffic share means were made: a canary
 * shifts twice (its percentage, then the rest), a linear config by its percentage until 100% (10%:
 * ten shifts), all at once once.
 */
export function trafficSteps(
  percent: number,
  routing: TrafficRoutingConfig | undefined,
): { step: number; steps: number } | undefined {
  const steps = totalSteps(routing);
  if (steps === undefined) return undefined;
  if (percent <= 0) return { step: 0, steps };
  if (percent >= 100) return { step: steps, steps };
  if (routing?.type === 'TimeBasedLinear') {
    const increment = routing.timeBasedLinear?.linearPercentage ?? 0;
    // Rounded, not floored: weights read back from the service may carry float noise (29.999...).
    return { step: Math.min(steps - 1, Math.max(1, Math.round(percent / increment))), steps };
  }
  return { step: Math.min(1, steps), steps };
}

function totalSteps(routing: TrafficRoutingConfig | undefined): number | undefined {
  switch (routing?.type) {
    case 'TimeBasedCanary':
      return 2;
    case 'TimeBasedLinear': {
      const increment = routing.timeBasedLinear?.linearPercentage;
      return increment !== undefined && increment > 0 ? Math.ceil(100 / increment) : undefined;
    }
    case 'AllAtOnce':
      return 1;
    default:
      return undefined;
  }
}

/**
 * Where production traffic is for a Lambda target (the share on its target version) or an ECS target
 * (the share on the Green task set); undefined for other targets and before the service says.
 */
export function trafficShiftOf(
  target: DeploymentTarget,
  routing?: TrafficRoutingConfig | undefined,
): TrafficShift | undefined {
  const percent = shiftedPercent(target);
  if (percent === undefined) return undefined;
  const shift: TrafficShift = { percent };
  const steps = trafficSteps(percent, routing);
  if (steps !== undefined) Object.assign(shift, steps);
  const config = routingText(routing);
  if (config !== undefined) shift.config = config;
  return shift;
}

function shiftedPercent(target: DeploymentTarget): number | undefined {
  const fn = target.lambdaTarget?.lambdaFunctionInfo;
  if (fn !== undefined) {
    if (fn.targetVersion === undefined || fn.targetVersionWeight === undefined) return undefined;
    return weightPercent(fn.targetVersionWeight);
  }
  const green = target.ecsTarget?.taskSetsInfo?.find((set) => set.taskSetLabel === 'Green');
  return green?.trafficWeight === undefined ? undefined : Number(green.trafficWeight.toFixed(2));
}

/**
 * The traffic line a CI log prints for a target: `traffic 10% → version 7 (step 1 of 2, canary 10%
 * then 100% after 5m)` for Lambda, `traffic Green 20% / Blue 80% (step 2 of 10, linear 10% every 1m)`
 * for ECS.
 */
export function trafficShiftText(target: DeploymentTarget, shift: TrafficShift): string {
  const details = [
    shift.step !== undefined && shift.steps !== undefined
      ? `step ${shift.step} of ${shift.steps}`
      : undefined,
    shift.config,
  ].filter((part) => part !== undefined);
  const suffix = details.length > 0 ? ` (${details.join(', ')})` : '';
  const fn = target.lambdaTarget?.lambdaFunctionInfo;
  if (fn !== undefined) return `traffic ${shift.percent}% → version ${fn.targetVersion ?? '?'}${suffix}`;
  const sets = target.ecsTarget?.taskSetsInfo ?? [];
  const share = (label: string) => {
    const set = sets.find((s) => s.taskSetLabel === label);
    return set?.trafficWeight === undefined ? undefined : `${label} ${Number(set.trafficWeight.toFixed(2))}%`;
  };
  const shares = [share('Green'), share('Blue')].filter((part) => part !== undefined);
  return `traffic ${shares.join(' / ')}${suffix}`;
}

/** `5m`, `1h`, `1h 30m`: deployment configurations count in whole minutes. */
function minutes(value: number | undefined): string {
  if (value === undefined) return '?';
  if (value < 60) return `${value}m`;
  const rest = value % 60;
  return rest === 0 ? `${Math.floor(value / 60)}h` : `${Math.floor(value / 60)}h ${rest}m`;
}
