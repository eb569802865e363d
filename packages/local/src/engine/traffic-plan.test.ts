import { describe, expect, it } from 'vitest';
import { activeAlarms, alarmActiveMessage, alarmsToWatch } from './alarms.js';
import { readTrafficAppSpec } from './traffic/appspec.js';
import { readyWaitOf, terminationWaitOf } from './traffic/blue-green-waits.js';
import { trafficPlan } from './traffic/plan.js';

describe('trafficPlan', () => {
  it('shifts a canary, waits its interval, then shifts the rest', () => {
    expect(
      trafficPlan({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }),
    ).toEqual([
      { percent: 10, waitMinutes: 5 },
      { percent: 100, waitMinutes: 0 },
    ]);
  });

  it('adds the linear percentage every interval until all traffic is shifted', () => {
    const steps = trafficPlan({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
    });
    expect(steps.map((step) => step.percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(steps.map((step) => step.waitMinutes)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('ends a linear shift at 100 when the increment does not divide it', () => {
    const steps = trafficPlan({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 30, linearInterval: 2 },
    });
    expect(steps).toEqual([
      { percent: 30, waitMinutes: 2 },
      { percent: 60, waitMinutes: 2 },
      { percent: 90, waitMinutes: 2 },
      { percent: 100, waitMinutes: 0 },
    ]);
  });

  it('shifts everything at once for AllAtOnce and when there is no routing', () => {
    expect(trafficPlan({ type: 'AllAtOnce' })).toEqual([{ percent: 100, waitMinutes: 0 }]);
    expect(trafficPlan(undefined)).toEqual([{ percent: 100, waitMinutes: 0 }]);
  });
});

describe('blue/green waits', () => {
  it('waits for ContinueDeployment only with STOP_DEPLOYMENT', () => {
    expect(readyWaitOf(undefined)).toEqual({ kind: 'none' });
    expect(readyWaitOf({ deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' } })).toEqual({
      kind: 'none',
    });
    expect(
      readyWaitOf({ deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 } }),
    ).toEqual({ kind: 'manual', timeoutMinutes: 30 });
  });

  it('terminates the original task set after its wait unless kept alive', () => {
    expect(terminationWaitOf(undefined)).toEqual({ kind: 'terminate', waitMinutes: 0 });
    expect(
      terminationWaitOf({
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      }),
    ).toEqual({ kind: 'terminate', waitMinutes: 5 });
    expect(
      terminationWaitOf({ terminateBlueInstancesOnDeploymentSuccess: { action: 'KEEP_ALIVE' } }),
    ).toEqual({
      kind: 'keep',
    });
  });
});

describe('alarms', () => {
  const group = { alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }, { name: 'latency' }] } };

  it("watches the group's alarms, or the deployment's override instead", () => {
    expect(alarmsToWatch(group, {})).toEqual(['errors', 'latency']);
    expect(alarmsToWatch(group, { overrideAlarmConfiguration: { enabled: false } })).toEqual([]);
    expect(
      alarmsToWatch(group, { overrideAlarmConfiguration: { enabled: true, alarms: [{ name: 'p99' }] } }),
    ).toEqual(['p99']);
    expect(alarmsToWatch({ alarmConfiguration: { enabled: false, alarms: [{ name: 'x' }] } }, {})).toEqual(
      [],
    );
  });

  it('stops only on ALARM, not on OK or INSUFFICIENT_DATA', () => {
    const states = { errors: 'ALARM', latency: 'INSUFFICIENT_DATA' } as const;
    expect(
      activeAlarms(['errors', 'latency', 'unknown'], (name) => states[name as keyof typeof states] ?? 'OK'),
    ).toEqual(['errors']);
    expect(alarmActiveMessage(['errors'])).toMatch(
      /affected deployments have been stopped\. Activated alarms: errors$/,
    );
  });
});

describe('readTrafficAppSpec', () => {
  it('reads a Lambda AppSpec: function (ARN reduced to its name), alias, versions and hooks', () => {
    const reading = readTrafficAppSpec(
      [
        'version: 0.0',
        'Resources:',
        '  - myFunction:',
        '      Type: AWS::Lambda::Function',
        '      Properties:',
        '        Name: arn:aws:lambda:us-east-1:111122223333:function:orders',
        '        Alias: live',
        '        CurrentVersion: 1',
        '        TargetVersion: "2"',
        'Hooks:',
        '  - BeforeAllowTraffic: checkBefore',
        '  - AfterAllowTraffic: checkAfter',
      ].join('\n'),
      'Lambda',
    );
    expect(reading).toEqual({
      ok: true,
      appspec: {
        platform: 'Lambda',
        functionName: 'orders',
        alias: 'live',
        currentVersion: '1',
        targetVersion: '2',
        hooks: { BeforeAllowTraffic: 'checkBefore', AfterAllowTraffic: 'checkAfter' },
      },
    });
  });

  it('reads an ECS AppSpec in JSON with its network and capacity provider settings', () => {
    const reading = readTrafficAppSpec(
      JSON.stringify({
        version: 0.0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:3',
                LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
                PlatformVersion: '1.4.0',
                NetworkConfiguration: {
                  AwsvpcConfiguration: {
                    Subnets: ['subnet-1'],
                    SecurityGroups: ['sg-1'],
                    AssignPublicIp: 'DISABLED',
                  },
                },
                CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 2, Base: 1 }],
              },
            },
          },
        ],
        Hooks: [{ AfterAllowTestTraffic: 'smoke' }],
      }),
      'ECS',
    );
    expect(reading).toEqual({
      ok: true,
      appspec: {
        platform: 'ECS',
        taskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:3',
        containerName: 'web',
        containerPort: 8080,
        platformVersion: '1.4.0',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-1'],
            securityGroups: ['sg-1'],
            assignPublicIp: 'DISABLED',
          },
        },
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 2, base: 1 }],
        hooks: { AfterAllowTestTraffic: 'smoke' },
      },
    });
  });

  it('reports what is wrong, with lines, instead of a half-read AppSpec', () => {
    const reading = readTrafficAppSpec('version: 0.0\nResources: []\n', 'Lambda');
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problems.join('\n')).toMatch(/line \d+.*Resources/);
  });
});
