import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { type GateEvent, gateDeployment } from './gate.js';

/**
 * The local CodeDeploy has no blue/green or Lambda/ECS waits yet, so the Ready → verify → continue
 * path is pinned here with a scripted client: a narrow stand-in for the service's answers.
 */
function scriptedService(statuses: string[]) {
  const calls: Array<{ name: string; input: unknown }> = [];
  let index = 0;
  let continued = false;
  let stopped = false;
  const info = (): DeploymentInfo => {
    const status = stopped
      ? 'Stopped'
      : continued
        ? 'Succeeded'
        : (statuses[Math.min(index++, statuses.length - 1)] ?? '');
    return {
      deploymentId: 'd-TESTREADY',
      applicationName: 'app',
      deploymentGroupName: 'blue-green',
      status: status as DeploymentInfo['status'],
      deploymentOverview: {
        Pending: 0,
        InProgress: status === 'Ready' ? 0 : 1,
        Succeeded: 0,
        Failed: 0,
        Skipped: 0,
        Ready: status === 'Ready' ? 1 : 0,
      },
      revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
    };
  };
  const client = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      switch (name) {
        case 'GetDeployment':
          return { deploymentInfo: info() };
        case 'ListDeploymentTargets':
          return { targetIds: [] };
        case 'ContinueDeployment':
          continued = true;
          return {};
        case 'StopDeployment':
          stopped = true;
          return { status: 'Succeeded', statusMessage: 'stopped' };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  } as unknown as CodeDeployClient;
  return { client, calls };
}

const instantClock = (): Clock => {
  let now = Date.parse('2026-11-23T12:00:00Z');
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
};

describe('gateDeployment with --continue-after', () => {
  it('runs the check when the deployment is Ready, streams its output, then continues it', async () => {
    const { client, calls } = scriptedService(['InProgress', 'InProgress', 'Ready']);
    const events: GateEvent[] = [];
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TESTREADY',
      region: 'eu-west-1',
      continueAfter: 'echo "checking $CODEDEPLOY_GATE_DEPLOYMENT_ID in $CODEDEPLOY_GATE_WAIT_TYPE"; exit 0',
      clock: instantClock(),
      onEvent: (event) => events.push(event),
    });
    expect(report.verdict).toBe('succeeded');
    expect(report.exitCode).toBe(0);
    expect(calls.filter((c) => c.name === 'ContinueDeployment').map((c) => c.input)).toEqual([
      { deploymentId: 'd-TESTREADY', deploymentWaitType: 'READY_WAIT' },
    ]);
    expect(events).toContainEqual({
      type: 'verification-output',
      line: 'checking d-TESTREADY in READY_WAIT',
      stream: 'stdout',
    });
    expect(report.actions.map((a) => a.kind)).toEqual(['verification-passed', 'continued']);
    expect(report.deployment.consoleUrl).toContain('eu-west-1');
  });

  it('stops the deployment with rollback when the check fails, and fails the gate', async () => {
    const { client, calls } = scriptedService(['Ready']);
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TESTREADY',
      region: 'us-east-1',
      continueAfter: 'echo "smoke test failed" >&2; exit 7',
      clock: instantClock(),
    });
    expect(report.verdict).toBe('stopped');
    expect(report.exitCode).toBe(1);
    expect(calls.filter((c) => c.name === 'StopDeployment').map((c) => c.input)).toEqual([
      { deploymentId: 'd-TESTREADY', autoRollbackEnabled: true },
    ]);
    expect(calls.some((c) => c.name === 'ContinueDeployment')).toBe(false);
    expect(report.actions.map((a) => a.kind)).toEqual(['verification-failed', 'stopped']);
  });

  it('without a check, says once that the deployment waits for a go-ahead and keeps watching', async () => {
    const { client } = scriptedService(['Ready', 'Ready', 'Ready', 'Succeeded']);
    const events: GateEvent[] = [];
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TESTREADY',
      region: 'us-east-1',
      clock: instantClock(),
      onEvent: (event) => events.push(event),
    });
    expect(report.verdict).toBe('succeeded');
    expect(events.filter((e) => e.type === 'waiting')).toHaveLength(1);
  });
});
