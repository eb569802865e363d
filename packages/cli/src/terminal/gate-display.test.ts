import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { capture } from './capture.test-support.js';
import { GateDisplay } from './gate-display.js';

const deployment = (status: string, succeeded: number, inProgress: number): DeploymentInfo => ({
  deploymentId: 'd-DISPLAY01',
  status: status as DeploymentInfo['status'],
  deploymentOverview: {
    Succeeded: succeeded,
    InProgress: inProgress,
    Pending: 2 - succeeded - inProgress,
    Failed: 0,
  },
});

const target = (id: string, events: Array<[string, string]>): DeploymentTarget => ({
  instanceTarget: {
    targetId: id,
    status: 'InProgress',
    lifecycleEvents: events.map(([lifecycleEventName, status]) => ({
      lifecycleEventName,
      status: status as 'Succeeded',
    })),
  },
});

describe('GateDisplay in a CI log', () => {
  it('prints a line per change and nothing for a look that saw nothing new', () => {
    const { output, text } = capture({ CI: 'true', NO_COLOR: '1' });
    const display = new GateDisplay(output, () => 0);
    const first = {
      deployment: deployment('InProgress', 0, 1),
      targets: [
        target('web-1', [
          ['ApplicationStop', 'Succeeded'],
          ['DownloadBundle', 'InProgress'],
        ]),
      ],
      at: 0,
    };
    display.handle({ type: 'update', role: 'deployment', snapshot: first });
    const afterFirst = text();
    display.handle({ type: 'update', role: 'deployment', snapshot: first });
    expect(text()).toBe(afterFirst);
    expect(afterFirst).toContain('d-DISPLAY01 InProgress: 0 succeeded, 1 in progress, 1 pending, 0 failed');
    expect(afterFirst).toMatch(/web-1 +✓ ApplicationStop Succeeded/);
    expect(afterFirst).toMatch(/web-1 +… DownloadBundle\n/);

    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: {
        deployment: deployment('InProgress', 1, 1),
        targets: [
          target('web-1', [
            ['ApplicationStop', 'Succeeded'],
            ['DownloadBundle', 'Succeeded'],
          ]),
        ],
        at: 1,
      },
    });
    const added = text().slice(afterFirst.length).trimEnd().split('\n');
    expect(added).toHaveLength(2);
    expect(added[0]).toContain('1 succeeded, 1 in progress, 0 pending');
    expect(added[1]).toMatch(/web-1 +✓ DownloadBundle Succeeded/);
    display.stop();
  });
});

describe('GateDisplay while packaging a folder', () => {
  it('prints the packaging notices (skipped secrets, outside hard links) before the upload', () => {
    const { output, text } = capture({ CI: 'true', NO_COLOR: '1' });
    const display = new GateDisplay(output, () => 0);
    display.handle({
      type: 'push',
      progress: { stage: 'bundling', bytesDone: 1, bytesTotal: 1, entriesDone: 1, entriesTotal: 1 },
    });
    display.handle({
      type: 'push',
      progress: {
        stage: 'packaged',
        notices: [
          {
            code: 'default-ignored',
            severity: 'info',
            message: 'skipped 1 path by the default secret-safe ignore list (.env)',
            paths: ['.env'],
          },
          {
            code: 'outside-hard-links',
            severity: 'warning',
            message: '1 bundled file is a hard link (x)',
            paths: ['x'],
          },
        ],
      },
    });
    display.handle({ type: 'push', progress: { stage: 'uploading', key: 'k', bytesDone: 0, bytesTotal: 1 } });
    const lines = text().split('\n');
    const note = lines.indexOf('note: skipped 1 path by the default secret-safe ignore list (.env)');
    expect(note).toBeGreaterThan(lines.indexOf('packaging the revision'));
    expect(lines[note + 1]).toBe('warning: 1 bundled file is a hard link (x)');
    expect(lines.indexOf('uploading to k')).toBeGreaterThan(note);
  });
});

describe('GateDisplay on a terminal', () => {
  it("prints each lifecycle event as it happens above one compact block redrawn in place: counters, elapsed time, each target's lifecycle position", () => {
    const { output, text } = capture({ NO_COLOR: '1' }, true);
    let now = 0;
    const display = new GateDisplay(output, () => now);
    const snapshot = (succeeded: number, events: Array<[string, string]>) => ({
      deployment: deployment('InProgress', succeeded, 1),
      targets: [target('web-1', events), target('web-2', [['ApplicationStop', 'Pending']])],
      at: now,
    });
    now = 61_000;
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0, [
        ['ApplicationStop', 'Succeeded'],
        ['DownloadBundle', 'InProgress'],
      ]),
    });
    const first = text();
    expect(first).toContain('d-DISPLAY01 InProgress: 0 succeeded, 1 in progress, 1 pending, 0 failed · 1:01');
    expect(first).toMatch(/web-1 +… InProgress +\[1\/2\] DownloadBundle/);
    expect(first).toMatch(/web-2 +… InProgress +\[0\/1\]$/m);
    // Each lifecycle event as it happens, above the block; the counters live in the block only.
    expect(first).toMatch(/^ {2}web-1 +✓ ApplicationStop Succeeded\n {2}web-1 +… DownloadBundle\n/);
    expect(first).not.toMatch(/^\[\d+:\d+\] d-DISPLAY01/m);

    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0, [
        ['ApplicationStop', 'Succeeded'],
        ['DownloadBundle', 'Succeeded'],
      ]),
    });
    // The previous block (3 lines) is erased, the event that ended printed, then the new block drawn.
    const second = text().slice(first.length);
    expect(second).toMatch(/^\u001b\[3A\r\u001b\[0J {2}web-1 +✓ DownloadBundle Succeeded\n/);
    expect(second).toMatch(/web-1 +… InProgress +\[2\/2\] DownloadBundle/);
    display.stop();
    expect(text().endsWith('\u001b[3A\r\u001b[0J')).toBe(true);
  });
});

const lambdaTarget = (weight: number | undefined, events: Array<[string, string]>): DeploymentTarget => ({
  deploymentTargetType: 'LambdaTarget',
  lambdaTarget: {
    targetId: 'orders:live',
    status: 'InProgress',
    lifecycleEvents: events.map(([lifecycleEventName, status]) => ({
      lifecycleEventName,
      status: status as 'Succeeded',
    })),
    lambdaFunctionInfo: {
      functionName: 'orders',
      functionAlias: 'live',
      currentVersion: '6',
      targetVersion: '7',
      ...(weight !== undefined ? { targetVersionWeight: weight } : {}),
    },
  },
});

const canary = {
  type: 'TimeBasedCanary' as const,
  timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
};

describe('GateDisplay for Lambda and ECS in a CI log', () => {
  it('prints the revision it built, then a traffic line each time traffic moves, with the step', () => {
    const { output, text } = capture({ CI: 'true', NO_COLOR: '1' });
    let now = 0;
    const display = new GateDisplay(output, () => now);
    display.handle({ type: 'checking', detail: 'Lambda function orders, alias live' });
    display.handle({ type: 'revision', detail: 'updating the code of orders from build.zip' });
    display.handle({ type: 'revision', detail: 'published version 7 of orders' });
    const snapshot = (weight: number | undefined, events: Array<[string, string]>) => ({
      deployment: deployment('InProgress', 0, 1),
      targets: [lambdaTarget(weight, events)],
      trafficRouting: canary,
      at: now,
    });
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0, [['BeforeAllowTraffic', 'InProgress']]),
    });
    now = 2_000;
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0.1, [
        ['BeforeAllowTraffic', 'Succeeded'],
        ['AllowTraffic', 'InProgress'],
      ]),
    });
    const before = text();
    // A look that saw the same share prints nothing.
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0.1, [
        ['BeforeAllowTraffic', 'Succeeded'],
        ['AllowTraffic', 'InProgress'],
      ]),
    });
    expect(text()).toBe(before);
    now = 301_000;
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(100, [
        ['BeforeAllowTraffic', 'Succeeded'],
        ['AllowTraffic', 'Succeeded'],
      ]),
    });
    const lines = text().trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'checking Lambda function orders, alias live',
      'revision: updating the code of orders from build.zip',
      'revision: published version 7 of orders',
    ]);
    const traffic = lines.filter((line) => line.includes('⇄'));
    expect(traffic).toEqual([
      '  orders:live              ⇄ traffic 10% → version 7 (step 1 of 2, canary 10% then 100% after 5m) · 0:02',
      '  orders:live              ⇄ traffic 100% → version 7 (step 2 of 2, canary 10% then 100% after 5m) · 5:01',
    ]);
    display.stop();
  });

  it('shows the verification: the wait, the command output, the verdict and ContinueDeployment', () => {
    const { output, text } = capture({ CI: 'true', NO_COLOR: '1' });
    const display = new GateDisplay(output, () => 0);
    display.handle({
      type: 'waiting',
      waitType: 'READY_WAIT',
      detail: 'deployment d-DISPLAY01 is in READY_WAIT (…): running `./smoke.sh` to verify …',
    });
    display.handle({ type: 'verification-output', line: 'GET /health 200', stream: 'stdout' });
    const action = (kind: 'verification-passed' | 'continued' | 'verification-failed', detail: string) =>
      display.handle({ type: 'action', action: { at: '2025-01-01T00:00:00.000Z', kind, detail } });
    action('verification-passed', '`./smoke.sh` passed in READY_WAIT');
    action('continued', 'ContinueDeployment READY_WAIT: production traffic may move to the new version');
    action('verification-failed', '`./smoke.sh` failed in TERMINATION_WAIT: stopping with rollback');
    expect(text().trimEnd().split('\n')).toEqual([
      '⏸ deployment d-DISPLAY01 is in READY_WAIT (…): running `./smoke.sh` to verify …',
      '  │ GET /health 200',
      '✓ verification passed: `./smoke.sh` passed in READY_WAIT',
      '→ ContinueDeployment READY_WAIT: production traffic may move to the new version',
      '✗ verification failed: `./smoke.sh` failed in TERMINATION_WAIT: stopping with rollback',
    ]);
    display.stop();
  });
});

describe('GateDisplay for Lambda and ECS on a terminal', () => {
  it("adds each target's traffic share and step to its line in the block", () => {
    const { output, text } = capture({ NO_COLOR: '1' }, true);
    const display = new GateDisplay(output, () => 0);
    const green: DeploymentTarget = {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        targetId: 'shop:web',
        status: 'InProgress',
        lifecycleEvents: [
          { lifecycleEventName: 'Install', status: 'Succeeded' },
          { lifecycleEventName: 'AllowTraffic', status: 'InProgress' },
        ],
        taskSetsInfo: [
          { identifer: 'ecs-svc/1', taskSetLabel: 'Blue', trafficWeight: 70 },
          { identifer: 'ecs-svc/2', taskSetLabel: 'Green', trafficWeight: 30 },
        ],
      },
    };
    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: {
        deployment: deployment('InProgress', 0, 1),
        targets: [green],
        trafficRouting: {
          type: 'TimeBasedLinear',
          timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
        },
        at: 0,
      },
    });
    expect(text()).toMatch(/shop:web +… InProgress +\[1\/2\] AllowTraffic {2}⇄ 30% shifted, step 3 of 10$/m);
    display.stop();
  });
});
