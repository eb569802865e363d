import { Writable } from 'node:stream';
import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { GateDisplay } from './gate-display.js';
import { Output } from './output.js';

function capture(env: NodeJS.ProcessEnv) {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
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
