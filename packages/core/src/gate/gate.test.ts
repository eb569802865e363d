import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { secretMasker } from '../secrets/index.js';
import type { Clock } from './clock.js';
import { type GateEvent, gateDeployment } from './gate.js';

/**
 * The Ready → verify → continue path end to end runs against the local CodeDeploy in the front ends'
 * tests; here a scripted client pins the gate's decisions, including answers the local server cannot
 * be made to give at an exact moment (a stop that arrives after the wait ended).
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
    expect(report.summary).toContain(
      'was stopped by the gate: `echo "smoke test failed" >&2; exit 7` failed in READY_WAIT',
    );
    expect(report.summary).not.toContain('MANUAL_STOP');
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

/**
 * A blue/green deployment that waits twice, as ECS and EC2 blue/green deployments do with wait times
 * set: Ready (READY_WAIT) until continued, then InProgress with the termination wait started
 * (TERMINATION_WAIT) until continued, then Succeeded. Each phase lasts `polls` looks unless continued.
 */
function twoWaitService(options: { stopTooLate?: boolean } = {}) {
  const calls: Array<{ name: string; input: unknown }> = [];
  let phase: 'installing' | 'ready' | 'shifting' | 'termination' | 'done' | 'stopped' = 'installing';
  let looks = 0;
  const info = (): DeploymentInfo => {
    looks += 1;
    if (phase === 'installing' && looks > 1) phase = 'ready';
    if (phase === 'shifting') phase = 'termination';
    const status =
      phase === 'ready'
        ? 'Ready'
        : phase === 'done'
          ? 'Succeeded'
          : phase === 'stopped'
            ? 'Stopped'
            : 'InProgress';
    return {
      deploymentId: 'd-TWOWAITS',
      applicationName: 'web',
      deploymentGroupName: 'ecs-blue-green',
      status,
      instanceTerminationWaitTimeStarted: phase === 'termination',
      deploymentOverview: { InProgress: phase === 'ready' ? 0 : 1, Ready: phase === 'ready' ? 1 : 0 },
    };
  };
  const client = {
    send: async (command: { constructor: { name: string }; input: { deploymentWaitType?: string } }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      switch (name) {
        case 'GetDeployment':
          return { deploymentInfo: info() };
        case 'ListDeploymentTargets':
          return { targetIds: [] };
        case 'ContinueDeployment':
          phase = command.input.deploymentWaitType === 'READY_WAIT' ? 'shifting' : 'done';
          return {};
        case 'StopDeployment':
          if (options.stopTooLate) {
            // The termination wait ran out while the check ran: the deployment has just succeeded.
            phase = 'done';
            throw Object.assign(new Error('The deployment is already complete.'), {
              name: 'DeploymentAlreadyCompletedException',
            });
          }
          phase = 'stopped';
          return { status: 'Succeeded', statusMessage: 'stopped' };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  } as unknown as CodeDeployClient;
  return { client, calls };
}

describe('gateDeployment with --continue-after and two waits', () => {
  it('verifies and continues READY_WAIT, then TERMINATION_WAIT, telling the check which wait it is in', async () => {
    const { client, calls } = twoWaitService();
    const events: GateEvent[] = [];
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TWOWAITS',
      region: 'us-east-1',
      continueAfter: 'echo "verifying in $CODEDEPLOY_GATE_WAIT_TYPE"',
      clock: instantClock(),
      onEvent: (event) => events.push(event),
    });

    expect(report.verdict).toBe('succeeded');
    expect(calls.filter((c) => c.name === 'ContinueDeployment').map((c) => c.input)).toEqual([
      { deploymentId: 'd-TWOWAITS', deploymentWaitType: 'READY_WAIT' },
      { deploymentId: 'd-TWOWAITS', deploymentWaitType: 'TERMINATION_WAIT' },
    ]);
    expect(events.flatMap((e) => (e.type === 'verification-output' ? [e.line] : []))).toEqual([
      'verifying in READY_WAIT',
      'verifying in TERMINATION_WAIT',
    ]);
    expect(report.actions.map((a) => [a.kind, a.waitType])).toEqual([
      ['verification-passed', 'READY_WAIT'],
      ['continued', 'READY_WAIT'],
      ['verification-passed', 'TERMINATION_WAIT'],
      ['continued', 'TERMINATION_WAIT'],
    ]);
    const waiting = events.flatMap((e) => (e.type === 'waiting' ? [e] : []));
    expect(waiting.map((e) => e.waitType)).toEqual(['READY_WAIT', 'TERMINATION_WAIT']);
    expect(waiting[0]?.detail).toContain('before production traffic reaches it');
    expect(waiting[1]?.detail).toContain('while the original can still take it back');
  });

  it('stops with rollback when the check fails in TERMINATION_WAIT, after READY_WAIT passed', async () => {
    const { client, calls } = twoWaitService();
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TWOWAITS',
      region: 'us-east-1',
      continueAfter: 'test "$CODEDEPLOY_GATE_WAIT_TYPE" = READY_WAIT',
      clock: instantClock(),
    });

    expect(report.verdict).toBe('stopped');
    expect(report.exitCode).toBe(1);
    expect(calls.filter((c) => c.name === 'ContinueDeployment')).toHaveLength(1);
    expect(calls.filter((c) => c.name === 'StopDeployment').map((c) => c.input)).toEqual([
      { deploymentId: 'd-TWOWAITS', autoRollbackEnabled: true },
    ]);
    expect(report.actions.map((a) => a.kind)).toEqual([
      'verification-passed',
      'continued',
      'verification-failed',
      'stopped',
    ]);
    expect(report.actions[2]?.detail).toContain('failed in TERMINATION_WAIT: stopping with rollback');
  });

  it('fails the gate when the check fails after the wait ran out and the deployment succeeded anyway', async () => {
    const { client } = twoWaitService({ stopTooLate: true });
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TWOWAITS',
      region: 'us-east-1',
      continueAfter: 'test "$CODEDEPLOY_GATE_WAIT_TYPE" = READY_WAIT',
      clock: instantClock(),
    });

    expect(report.deployment.status).toBe('Succeeded');
    expect(report.verdict).toBe('failed');
    expect(report.exitCode).toBe(1);
    expect(report.summary).toContain('succeeded in CodeDeploy, but');
    expect(report.summary).toContain('failed in TERMINATION_WAIT after the wait had ended');
  });

  it('without a check, says once per wait that the deployment waits for a go-ahead', async () => {
    // Someone else continues: Ready twice, the termination wait twice, then the end.
    const looks: Array<Partial<DeploymentInfo>> = [
      { status: 'Ready' },
      { status: 'Ready' },
      { status: 'InProgress', instanceTerminationWaitTimeStarted: true },
      { status: 'InProgress', instanceTerminationWaitTimeStarted: true },
      { status: 'Succeeded', instanceTerminationWaitTimeStarted: true },
    ];
    let look = 0;
    const client = {
      send: async (command: { constructor: { name: string } }) =>
        command.constructor.name === 'GetDeploymentCommand'
          ? { deploymentInfo: { deploymentId: 'd-OTHERGO', ...looks[Math.min(look++, looks.length - 1)] } }
          : { targetIds: [], deploymentTargets: [] },
    } as unknown as CodeDeployClient;
    const events: GateEvent[] = [];

    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-OTHERGO',
      region: 'us-east-1',
      clock: instantClock(),
      onEvent: (event) => events.push(event),
    });

    expect(report.verdict).toBe('succeeded');
    expect(events.flatMap((e) => (e.type === 'waiting' ? [e.waitType] : []))).toEqual([
      'READY_WAIT',
      'TERMINATION_WAIT',
    ]);
  });
});

describe('gateDeployment when a wait ends on its own during the check', () => {
  it('takes an already-ended termination wait as continued, and watches on to the end', async () => {
    let look = 0;
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        switch (command.constructor.name) {
          case 'GetDeploymentCommand':
            look += 1;
            return {
              deploymentInfo: {
                deploymentId: 'd-SHORTWAIT',
                status: look === 1 ? 'InProgress' : 'Succeeded',
                instanceTerminationWaitTimeStarted: true,
              },
            };
          case 'ContinueDeploymentCommand':
            throw Object.assign(new Error('The deployment is already complete'), {
              name: 'DeploymentAlreadyCompletedException',
            });
          default:
            return { targetIds: [], deploymentTargets: [] };
        }
      },
    } as unknown as CodeDeployClient;

    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-SHORTWAIT',
      region: 'us-east-1',
      continueAfter: 'true',
      clock: instantClock(),
    });

    expect(report.verdict).toBe('succeeded');
    expect(report.actions.map((a) => a.detail)).toEqual([
      '`true` passed in TERMINATION_WAIT',
      'ContinueDeployment TERMINATION_WAIT not needed: the wait had already ended',
    ]);
  });
});

describe('secrets', () => {
  it('masks the check output it streams, a private key across lines included, and the report text', async () => {
    const { client } = scriptedService(['Ready']);
    const token = `ghs_${'x7Q'.repeat(12)}`;
    const ciSecret = 'ci-secret-7d41f0c2';
    const events: GateEvent[] = [];
    const { report } = await gateDeployment({
      client,
      deploymentId: 'd-TESTREADY',
      region: 'us-east-1',
      // The check prints credentials, and its command line quotes a token.
      continueAfter: `printf -- '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIFakeFakeFakeFakeFake\\n-----END PRIVATE KEY-----\\n'; echo "using $CHECK_TOKEN"; echo ${token} >&2; exit 1`,
      verificationEnv: { PATH: process.env.PATH, CHECK_TOKEN: ciSecret },
      masker: secretMasker({ CHECK_TOKEN: ciSecret }),
      clock: instantClock(),
      onEvent: (event) => events.push(event),
    });
    const output = events.flatMap((event) => (event.type === 'verification-output' ? [event.line] : []));
    expect(output.filter((line) => line.startsWith('using'))).toEqual(['using ***']);
    expect(output).toContain('***');
    expect(output.join('\n')).not.toMatch(/MC4CAQ|ghs_|ci-secret/);
    const waiting = events.flatMap((event) => (event.type === 'waiting' ? [event.detail] : []));
    expect(waiting.join('\n')).not.toContain(token);
    // The command the actions quote carries two: the key block printf writes, and the token.
    const failed = report.actions.find((action) => action.kind === 'verification-failed')?.detail ?? '';
    expect(failed).toContain('printf -- \'***\\n\'; echo "using $CHECK_TOKEN"; echo *** >&2');
    expect(report.summary).not.toMatch(/MC4CAQ|ghs_/);
    expect(report.maskedValues).toBe(2);
  });
});
