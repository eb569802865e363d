import { Writable } from 'node:stream';
import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { GateDisplay } from './gate-display.js';
import { Output } from './output.js';

function capture(env: NodeJS.ProcessEnv, isTTY = false) {
  let text = '';
  const sink = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += chunk;
        done();
      },
    }),
    { isTTY },
  );
  return { output: new Output({ stdout: sink, stderr: sink, env }, { json: false }), text: () => text };
}

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

describe('GateDisplay on a terminal', () => {
  it("redraws one compact block in place: counters, elapsed time, each target's lifecycle position", () => {
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
    // No per-event log lines on a terminal: the block is the progress.
    expect(first).not.toMatch(/✓ ApplicationStop Succeeded/);

    display.handle({
      type: 'update',
      role: 'deployment',
      snapshot: snapshot(0, [
        ['ApplicationStop', 'Succeeded'],
        ['DownloadBundle', 'Succeeded'],
      ]),
    });
    // The previous block (3 lines) is erased before the new one is drawn.
    expect(text().slice(first.length)).toMatch(/^\u001b\[3A\r\u001b\[0J/);
    expect(text().slice(first.length)).toMatch(/web-1 +… InProgress +\[2\/2\] DownloadBundle/);
    display.stop();
    expect(text().endsWith('\u001b[3A\r\u001b[0J')).toBe(true);
  });
});
