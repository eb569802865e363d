import type { DeploymentTarget, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { routingText, trafficShiftOf, trafficShiftText, trafficSteps, weightPercent } from './traffic.js';

const canary: TrafficRoutingConfig = {
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
};
const linear = (percentage: number, minutes = 1): TrafficRoutingConfig => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percentage, linearInterval: minutes },
});
const allAtOnce: TrafficRoutingConfig = { type: 'AllAtOnce' };

const lambdaTarget = (weight: number | undefined, targetVersion: string | null = '7'): DeploymentTarget => ({
  deploymentTargetType: 'LambdaTarget',
  lambdaTarget: {
    targetId: 'my-fn:live',
    status: 'InProgress',
    lambdaFunctionInfo: {
      functionName: 'my-fn',
      functionAlias: 'live',
      currentVersion: '6',
      targetVersion: targetVersion ?? undefined,
      targetVersionWeight: weight,
    },
  },
});

const ecsTarget = (green: number, blue: number | undefined): DeploymentTarget => ({
  deploymentTargetType: 'ECSTarget',
  ecsTarget: {
    targetId: 'prod:web',
    status: 'InProgress',
    taskSetsInfo: [
      ...(blue === undefined
        ? []
        : [{ identifer: 'ecs-svc/1', taskSetLabel: 'Blue' as const, trafficWeight: blue }]),
      { identifer: 'ecs-svc/2', taskSetLabel: 'Green' as const, trafficWeight: green },
    ],
  },
});

describe('routingText', () => {
  it('describes canary, linear and all-at-once routing in words, hours past 59 minutes', () => {
    expect(routingText(canary)).toBe('canary 10% then 100% after 5m');
    expect(routingText(linear(10, 3))).toBe('linear 10% every 3m');
    expect(routingText(linear(25, 90))).toBe('linear 25% every 1h 30m');
    expect(routingText(linear(25, 120))).toBe('linear 25% every 2h');
    expect(routingText(allAtOnce)).toBe('all at once');
  });

  it('has nothing to say for configurations without traffic routing (EC2/on-premises)', () => {
    expect(routingText(undefined)).toBeUndefined();
    expect(routingText({})).toBeUndefined();
  });
});

describe('trafficSteps', () => {
  it('counts a canary as two shifts: its percentage, then the rest', () => {
    expect(trafficSteps(0, canary)).toEqual({ step: 0, steps: 2 });
    expect(trafficSteps(10, canary)).toEqual({ step: 1, steps: 2 });
    expect(trafficSteps(100, canary)).toEqual({ step: 2, steps: 2 });
  });

  it('counts a linear shift by its increment until 100%, the last step possibly shorter', () => {
    expect(trafficSteps(20, linear(10))).toEqual({ step: 2, steps: 10 });
    expect(trafficSteps(90, linear(10))).toEqual({ step: 9, steps: 10 });
    expect(trafficSteps(100, linear(10))).toEqual({ step: 10, steps: 10 });
    expect(trafficSteps(90, linear(30))).toEqual({ step: 3, steps: 4 });
    expect(trafficSteps(100, linear(30))).toEqual({ step: 4, steps: 4 });
  });

  it('reads weights with float noise as the step they are', () => {
    expect(trafficSteps(29.999999, linear(10))).toEqual({ step: 3, steps: 10 });
  });

  it('counts all at once as one shift, and knows no steps without routing', () => {
    expect(trafficSteps(0, allAtOnce)).toEqual({ step: 0, steps: 1 });
    expect(trafficSteps(100, allAtOnce)).toEqual({ step: 1, steps: 1 });
    expect(trafficSteps(50, undefined)).toBeUndefined();
  });
});

describe('weightPercent', () => {
  it('reads Lambda weights as percentages, and fractions of 1 as such', () => {
    expect(weightPercent(10)).toBe(10);
    expect(weightPercent(0.1)).toBe(10);
    expect(weightPercent(0)).toBe(0);
    expect(weightPercent(100)).toBe(100);
    expect(weightPercent(33.333333)).toBe(33.33);
  });
});

describe('trafficShiftOf', () => {
  it('gives the share on the Lambda target version with the step of the canary', () => {
    expect(trafficShiftOf(lambdaTarget(10), canary)).toEqual({
      percent: 10,
      step: 1,
      steps: 2,
      config: 'canary 10% then 100% after 5m',
    });
  });

  it('gives the share on the Green task set of an ECS target', () => {
    expect(trafficShiftOf(ecsTarget(20, 80), linear(10))).toEqual({
      percent: 20,
      step: 2,
      steps: 10,
      config: 'linear 10% every 1m',
    });
  });

  it('gives only the percentage when the configuration is unknown', () => {
    expect(trafficShiftOf(lambdaTarget(0.5))).toEqual({ percent: 50 });
  });

  it('gives nothing before the service reports a weight, and nothing for instances', () => {
    expect(trafficShiftOf(lambdaTarget(undefined), canary)).toBeUndefined();
    expect(trafficShiftOf(lambdaTarget(10, null), canary)).toBeUndefined();
    expect(
      trafficShiftOf({ deploymentTargetType: 'InstanceTarget', instanceTarget: { targetId: 'i-1' } }, canary),
    ).toBeUndefined();
  });
});

describe('trafficShiftText', () => {
  it('names the Lambda version traffic moves to, the step and the routing', () => {
    const target = lambdaTarget(10);
    expect(trafficShiftText(target, trafficShiftOf(target, canary)!)).toBe(
      'traffic 10% → version 7 (step 1 of 2, canary 10% then 100% after 5m)',
    );
  });

  it('shows Green then Blue for ECS, and Green alone once Blue is gone', () => {
    const shifting = ecsTarget(20, 80);
    expect(trafficShiftText(shifting, trafficShiftOf(shifting, linear(10))!)).toBe(
      'traffic Green 20% / Blue 80% (step 2 of 10, linear 10% every 1m)',
    );
    const done = ecsTarget(100, undefined);
    expect(trafficShiftText(done, trafficShiftOf(done)!)).toBe('traffic Green 100%');
  });
});
