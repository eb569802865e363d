import type { DeploymentInfo, DeploymentTarget, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { countersText, type DeploymentChange, DeploymentChangeLog } from './changes.js';
import type { DeploymentSnapshot } from './watch.js';

const T0 = Date.parse('2025-03-14T09:26:53.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const deployment = (overrides: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
  deploymentId: 'd-CHANGES01',
  status: 'InProgress',
  deploymentOverview: { Succeeded: 0, InProgress: 1, Pending: 1, Failed: 0 },
  ...overrides,
});

const target = (targetId: string, lifecycleEvents: LifecycleEvent[]): DeploymentTarget => ({
  deploymentTargetType: 'InstanceTarget',
  instanceTarget: { targetId, status: 'InProgress', lifecycleEvents },
});

const snapshot = (info: DeploymentInfo, targets: DeploymentTarget[] = []): DeploymentSnapshot => ({
  deployment: info,
  targets,
  at: T0,
});

describe('countersText', () => {
  it('reads the status and the four counters, zero when the service leaves one out', () => {
    expect(countersText(deployment({ deploymentOverview: { Succeeded: 1, InProgress: 1 } }))).toBe(
      'InProgress: 1 succeeded, 1 in progress, 0 pending, 0 failed',
    );
  });

  it('adds skipped and ready only when there are some, and ? for a missing status', () => {
    expect(countersText(deployment({ deploymentOverview: { Failed: 1, Skipped: 2, Ready: 3 } }))).toBe(
      'InProgress: 0 succeeded, 0 in progress, 0 pending, 1 failed, 2 skipped, 3 ready',
    );
    expect(countersText({})).toBe('?: 0 succeeded, 0 in progress, 0 pending, 0 failed');
  });
});

describe('DeploymentChangeLog', () => {
  it('reports the counters on the first look and again only when their text changes', () => {
    const log = new DeploymentChangeLog();

    expect(log.changes('deployment', snapshot(deployment()))).toEqual([
      {
        kind: 'counters',
        role: 'deployment',
        deploymentId: 'd-CHANGES01',
        text: 'InProgress: 0 succeeded, 1 in progress, 1 pending, 0 failed',
      },
    ]);
    expect(log.changes('deployment', snapshot(deployment()))).toEqual([]);
    expect(log.changes('deployment', snapshot(deployment({ status: 'Failed' })))).toEqual([
      {
        kind: 'counters',
        role: 'deployment',
        deploymentId: 'd-CHANGES01',
        text: 'Failed: 0 succeeded, 1 in progress, 1 pending, 0 failed',
      },
    ]);
  });

  it('reports an event when it starts, and again when it ends, with how long it ran', () => {
    const log = new DeploymentChangeLog();
    log.changes('deployment', snapshot(deployment()));

    const started = log.changes(
      'deployment',
      snapshot(deployment(), [
        target('i-0aaa', [{ lifecycleEventName: 'Install', status: 'InProgress', startTime: at(0) }]),
      ]),
    );
    const ended = log.changes(
      'deployment',
      snapshot(deployment(), [
        target('i-0aaa', [
          { lifecycleEventName: 'Install', status: 'Succeeded', startTime: at(0), endTime: at(2.25) },
          { lifecycleEventName: 'ValidateService', status: 'Failed', startTime: at(3), endTime: at(4) },
        ]),
      ]),
    );

    const event = { kind: 'event', role: 'deployment', deploymentId: 'd-CHANGES01', target: 'i-0aaa' };
    expect(started).toEqual([{ ...event, event: 'Install', status: 'InProgress' }]);
    expect(ended).toEqual([
      { ...event, event: 'Install', status: 'Succeeded', seconds: 2.25 },
      { ...event, event: 'ValidateService', status: 'Failed', seconds: 1 },
    ]);
  });

  it('leaves out the seconds when the service gave no start or no end', () => {
    const log = new DeploymentChangeLog();

    const changes = log.changes(
      'deployment',
      snapshot(deployment(), [
        target('i-0aaa', [
          { lifecycleEventName: 'Install', status: 'Succeeded' },
          { lifecycleEventName: 'ValidateService', status: 'Failed', startTime: at(3) },
        ]),
      ]),
    );

    expect(changes.filter((c) => c.kind === 'event').map((c) => 'seconds' in c)).toEqual([false, false]);
  });

  it('reports nothing for Pending, Skipped or status-less events', () => {
    const log = new DeploymentChangeLog();
    log.changes('deployment', snapshot(deployment()));

    const changes = log.changes(
      'deployment',
      snapshot(deployment(), [
        target('i-0aaa', [
          { lifecycleEventName: 'ApplicationStop', status: 'Skipped' },
          { lifecycleEventName: 'DownloadBundle', status: 'Pending' },
          { lifecycleEventName: 'Install' },
        ]),
      ]),
    );

    expect(changes).toEqual([]);
  });

  it('reports nothing for a repeated snapshot', () => {
    const log = new DeploymentChangeLog();
    const look = snapshot(deployment(), [
      target('i-0aaa', [
        { lifecycleEventName: 'Install', status: 'Succeeded', startTime: at(0), endTime: at(1) },
      ]),
      target('i-0bbb', [{ lifecycleEventName: 'Install', status: 'InProgress', startTime: at(1) }]),
    ]);

    expect(log.changes('deployment', look)).toHaveLength(3);
    expect(log.changes('deployment', look)).toEqual([]);
  });

  it("keeps the rollback's role and tracks it apart from the deployment it rolls back", () => {
    const log = new DeploymentChangeLog();
    const events = [target('i-0aaa', [{ lifecycleEventName: 'Install', status: 'Succeeded' }])];
    log.changes('deployment', snapshot(deployment(), events));

    const changes = log.changes('rollback', snapshot(deployment({ deploymentId: 'd-ROLLBACK1' }), events));

    expect(changes).toEqual([
      {
        kind: 'counters',
        role: 'rollback',
        deploymentId: 'd-ROLLBACK1',
        text: 'InProgress: 0 succeeded, 1 in progress, 1 pending, 0 failed',
      },
      {
        kind: 'event',
        role: 'rollback',
        deploymentId: 'd-ROLLBACK1',
        target: 'i-0aaa',
        event: 'Install',
        status: 'Succeeded',
      },
    ]);
  });
});

describe('DeploymentChangeLog traffic lines', () => {
  const canary = {
    type: 'TimeBasedCanary' as const,
    timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
  };
  const lambda = (weight: number, events: LifecycleEvent[] = []): DeploymentTarget => ({
    deploymentTargetType: 'LambdaTarget',
    lambdaTarget: {
      targetId: 'my-fn:live',
      status: 'InProgress',
      lifecycleEvents: events,
      lambdaFunctionInfo: {
        functionName: 'my-fn',
        functionAlias: 'live',
        currentVersion: '6',
        targetVersion: '7',
        targetVersionWeight: weight,
      },
    },
  });
  const shifting = (weight: number, events?: LifecycleEvent[]): DeploymentSnapshot => ({
    ...snapshot(deployment({ computePlatform: 'Lambda' }), [lambda(weight, events)]),
    trafficRouting: canary,
  });
  const trafficOnly = (changes: DeploymentChange[]) =>
    changes.flatMap((c) => (c.kind === 'traffic' ? [`${c.target}  ${c.text}`] : []));

  it('reports each step of a canary once, with the step and the routing, and not the 0% start', () => {
    const log = new DeploymentChangeLog();

    const lines = [0, 0, 10, 10, 10, 100].map((weight) =>
      trafficOnly(log.changes('deployment', shifting(weight))),
    );

    expect(lines).toEqual([
      [],
      [],
      ['my-fn:live  traffic 10% → version 7 (step 1 of 2, canary 10% then 100% after 5m)'],
      [],
      [],
      ['my-fn:live  traffic 100% → version 7 (step 2 of 2, canary 10% then 100% after 5m)'],
    ]);
  });

  it('puts the traffic line after the AllowTraffic line that moved it, and carries the shift itself', () => {
    const log = new DeploymentChangeLog();
    log.changes('deployment', shifting(0));

    const changes = log.changes(
      'deployment',
      shifting(10, [
        { lifecycleEventName: 'BeforeAllowTraffic', status: 'Succeeded' },
        { lifecycleEventName: 'AllowTraffic', status: 'InProgress' },
      ]),
    );

    expect(changes.map((c) => c.kind)).toEqual(['event', 'event', 'traffic']);
    expect(changes[2]).toMatchObject({
      kind: 'traffic',
      role: 'deployment',
      deploymentId: 'd-CHANGES01',
      target: 'my-fn:live',
      shift: { percent: 10, step: 1, steps: 2, config: 'canary 10% then 100% after 5m' },
    });
  });

  it('puts the last shift right after the AllowTraffic line, before the events that follow it', () => {
    const log = new DeploymentChangeLog();
    log.changes('deployment', shifting(10, [{ lifecycleEventName: 'AllowTraffic', status: 'InProgress' }]));

    const changes = log.changes(
      'deployment',
      shifting(100, [
        { lifecycleEventName: 'AllowTraffic', status: 'Succeeded' },
        { lifecycleEventName: 'AfterAllowTraffic', status: 'InProgress' },
      ]),
    );

    expect(changes.map((c) => (c.kind === 'event' ? `${c.event} ${c.status}` : c.kind))).toEqual([
      'AllowTraffic Succeeded',
      'traffic',
      'AfterAllowTraffic InProgress',
    ]);
  });

  it('reports traffic going back (a rollback moving it off the new version)', () => {
    const log = new DeploymentChangeLog();
    log.changes('deployment', shifting(10));

    expect(trafficOnly(log.changes('deployment', shifting(0)))).toEqual([
      'my-fn:live  traffic 0% → version 7 (step 0 of 2, canary 10% then 100% after 5m)',
    ]);
  });

  it('reports ECS task set weights, Green first, without steps when the routing is unknown', () => {
    const log = new DeploymentChangeLog();
    const ecs = (green: number): DeploymentSnapshot =>
      snapshot(deployment({ computePlatform: 'ECS' }), [
        {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: {
            targetId: 'prod:web',
            status: 'InProgress',
            taskSetsInfo: [
              { identifer: 'ecs-svc/1', taskSetLabel: 'Blue', trafficWeight: 100 - green },
              { identifer: 'ecs-svc/2', taskSetLabel: 'Green', trafficWeight: green },
            ],
          },
        },
      ]);

    const lines = [0, 20, 100].flatMap((green) => trafficOnly(log.changes('deployment', ecs(green))));

    expect(lines).toEqual([
      'prod:web  traffic Green 20% / Blue 80%',
      'prod:web  traffic Green 100% / Blue 0%',
    ]);
  });
});
