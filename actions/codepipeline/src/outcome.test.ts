import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import {
  AwsError,
  buildDeploymentReport,
  type DeploymentLook,
  InvalidInputError,
  PREDEFINED_TRAFFIC_ROUTING,
  REPORT_SCHEMA,
} from '@codedeploy-gate/core';
import { describe, expect, it } from 'vitest';
import { ArtifactUnavailableError } from './artifact.js';
import {
  endedOutcome,
  errorOutcome,
  failureType,
  maskedOutcome,
  percentComplete,
  runningDetails,
} from './outcome.js';

const overview = (
  o: Partial<Record<'pending' | 'inProgress' | 'succeeded' | 'failed' | 'skipped' | 'ready', number>>,
) =>
  ({ overview: { pending: 0, inProgress: 0, succeeded: 0, failed: 0, skipped: 0, ready: 0, ...o } }) as never;

describe('job outcomes', () => {
  it('report progress as finished targets over all, never 100 before the end', () => {
    expect(percentComplete(overview({}))).toBe(0);
    expect(percentComplete(overview({ succeeded: 1, inProgress: 1, pending: 2 }))).toBe(25);
    expect(percentComplete(overview({ succeeded: 3 }))).toBe(99);
  });

  it('map errors to CodePipeline failure types', () => {
    expect(failureType(new InvalidInputError('bad'))).toBe('ConfigurationError');
    expect(failureType(new ArtifactUnavailableError('gone'))).toBe('RevisionUnavailable');
    expect(failureType(new AwsError('denied', { code: 'AccessDeniedException' }))).toBe('PermissionError');
    expect(failureType(new AwsError('down', { code: 'ECONNRESET' }))).toBe('SystemUnavailable');
    expect(failureType(new Error('boom'))).toBe('JobFailed');
  });

  it('put the hint under the message and keep it within 5000 characters', () => {
    const outcome = errorOutcome(new InvalidInputError('x'.repeat(6000), { hint: 'fix it' }), 'd-1');
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.failure.message?.length).toBe(5000);
    expect(outcome.failure.externalExecutionId).toBe('d-1');
    expect(errorOutcome(new InvalidInputError('bad', { hint: 'fix it' }))).toMatchObject({
      failure: { type: 'ConfigurationError', message: 'bad\nhint: fix it' },
    });
  });
});

const CANARY = PREDEFINED_TRAFFIC_ROUTING['CodeDeployDefault.LambdaCanary10Percent5Minutes'];

function lambdaDeployment(status: string, weight: number, events: Record<string, string>) {
  const info: DeploymentInfo = {
    deploymentId: 'd-LAMBDA',
    applicationName: 'checkout',
    deploymentGroupName: 'live',
    computePlatform: 'Lambda',
    status: status as DeploymentInfo['status'],
    deploymentOverview: {
      InProgress: status === 'InProgress' ? 1 : 0,
      Succeeded: status === 'Succeeded' ? 1 : 0,
    },
  };
  const target: DeploymentTarget = {
    deploymentTargetType: 'LambdaTarget',
    lambdaTarget: {
      targetId: 'checkout:live',
      status: status as 'InProgress',
      lifecycleEvents: Object.entries(events).map(([name, eventStatus]) => ({
        lifecycleEventName: name,
        status: eventStatus as 'InProgress',
      })),
      lambdaFunctionInfo: {
        functionName: 'checkout',
        functionAlias: 'live',
        currentVersion: '6',
        targetVersion: '7',
        targetVersionWeight: weight,
      },
    },
  };
  return { info, deployment: buildDeploymentReport(info, [target], 'us-east-1', { trafficRouting: CANARY }) };
}

describe('progress on the console', () => {
  it('shows where a Lambda canary has traffic, its step and the event under way, as percent complete', () => {
    const { info, deployment } = lambdaDeployment('InProgress', 0.1, {
      BeforeAllowTraffic: 'Succeeded',
      AllowTraffic: 'InProgress',
      AfterAllowTraffic: 'Pending',
    });
    expect(runningDetails(deployment, info)).toEqual({
      externalExecutionId: 'd-LAMBDA',
      summary:
        'd-LAMBDA InProgress · checkout:live traffic: version 6 → 7, 10% on 7 (step 1 of 2, canary 10% then 100% after 5m) · now AllowTraffic',
      percentComplete: 10,
    });
    const verifying = lambdaDeployment('InProgress', 1, {
      BeforeAllowTraffic: 'Succeeded',
      AllowTraffic: 'Succeeded',
      AfterAllowTraffic: 'InProgress',
    });
    expect(runningDetails(verifying.deployment, verifying.info, 'a note')).toMatchObject({
      summary: expect.stringMatching(/100% on 7 \(step 2 of 2, .*\) · now AfterAllowTraffic · a note$/),
      percentComplete: 99,
    });
  });

  it('ends with the verdict, where traffic ended and the checks that passed', () => {
    const { info, deployment } = lambdaDeployment('Succeeded', 100, {});
    const look = endedLook(info, deployment, 'succeeded', 'Deployment d-LAMBDA to checkout/live succeeded.');
    const outcome = endedOutcome(look, {
      continueAfter: './smoke.sh',
      checks: [{ wait: 'READY_WAIT', at: 1, result: 'passed' }],
    });
    expect(outcome).toMatchObject({
      kind: 'succeeded',
      details: {
        summary:
          'Deployment d-LAMBDA to checkout/live succeeded. checkout:live traffic: version 6 → 7, 100% on 7 (step 2 of 2, canary 10% then 100% after 5m). ContinueAfter `./smoke.sh` passed in READY_WAIT.',
        percentComplete: 100,
      },
    });
  });

  it('puts a failed check first in the failure message, with its output', () => {
    const { info, deployment } = lambdaDeployment('Stopped', 0, {});
    const look = endedLook(info, deployment, 'stopped', 'Deployment d-LAMBDA to checkout/live was stopped.');
    const outcome = endedOutcome(look, {
      continueAfter: './smoke.sh',
      checks: [{ wait: 'READY_WAIT', at: 1, result: 'failed', exitCode: 3, tail: 'GET / 502\nbye' }],
    });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.failure.message).toMatch(
      /^ContinueAfter `\.\/smoke\.sh` failed \(exit 3\) in READY_WAIT: the deployment was stopped with rollback\. Deployment d-LAMBDA to checkout\/live was stopped\.\n\nContinueAfter output \(last lines\):\n\| GET \/ 502\n\| bye\n\n/,
    );
  });
  it('fails the stage when ContinueAfter failed after the wait had ended and CodeDeploy completed the deployment', () => {
    const { info, deployment } = lambdaDeployment('Succeeded', 100, {});
    const look = endedLook(info, deployment, 'succeeded', 'Deployment d-LAMBDA to checkout/live succeeded.');
    const outcome = endedOutcome(look, {
      continueAfter: './smoke.sh',
      checks: [
        { wait: 'READY_WAIT', at: 1, result: 'passed' },
        { wait: 'TERMINATION_WAIT', at: 2, result: 'failed', exitCode: 1, tail: 'GET / 502' },
      ],
    });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.failure).toMatchObject({ type: 'JobFailed', externalExecutionId: 'd-LAMBDA' });
    // Core's wording for the same case in the gate, then what to do about it, then the check's output.
    expect(outcome.failure.message).toMatch(
      /^Deployment d-LAMBDA to checkout\/live succeeded in CodeDeploy, but `\.\/smoke\.sh` failed \(exit 1\) in TERMINATION_WAIT after the wait had ended, too late to stop it\. The new version stays in production: redeploy the previous revision to take it back\.\n\nContinueAfter output \(last lines\):\n\| GET \/ 502\n\n/,
    );
    expect(outcome.failure.message).not.toContain('was stopped with rollback');
  });

  it('names a check killed at its time limit after the wait had ended', () => {
    const { info, deployment } = lambdaDeployment('Succeeded', 100, {});
    const look = endedLook(info, deployment, 'succeeded', 'Deployment d-LAMBDA to checkout/live succeeded.');
    const outcome = endedOutcome(look, {
      continueAfter: './smoke.sh',
      checks: [{ wait: 'TERMINATION_WAIT', at: 2, result: 'failed', exitCode: null, killedBy: 'timeout' }],
    });
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: {
        message: expect.stringContaining(
          'but `./smoke.sh` was killed at its time limit (--check-timeout, or TimeoutMinutes running out) in TERMINATION_WAIT after the wait had ended',
        ),
      },
    });
  });
});

function endedLook(
  info: DeploymentInfo,
  deployment: ReturnType<typeof buildDeploymentReport>,
  verdict: 'succeeded' | 'stopped',
  summary: string,
): Extract<DeploymentLook, { state: 'ended' }> {
  return {
    state: 'ended',
    info,
    report: {
      schema: REPORT_SCHEMA,
      verdict,
      exitCode: verdict === 'succeeded' ? 0 : 1,
      summary,
      region: 'us-east-1',
      generatedAt: '2030-01-01T00:00:00.000Z',
      deployment,
      actions: [],
      watch: { elapsedMs: 0, getDeploymentCalls: 1, targetCalls: 1, throttled: 0 },
      maskedValues: 0,
    },
  };
}

describe('secrets', () => {
  const token = `ghs_${'Zq4'.repeat(12)}`;

  it('masks an AWS error that quotes a credential before cutting it to 5000 characters', () => {
    // Cut first, the message would end in half a token that no longer looks like one.
    const outcome = errorOutcome(new AwsError(`${'x'.repeat(4980)} ${token}`));
    if (outcome.kind !== 'failed') throw new Error('expected a failure');
    expect(outcome.failure.message).toMatch(/x \*\*\*$/);
    expect(outcome.failure.message).not.toContain('ghs_');
  });

  it('masks the summaries a job writes itself, and the ContinueAfter output it quotes, saying how many', () => {
    expect(
      maskedOutcome({
        kind: 'continue',
        state: { v: 1, kind: 'retry-start', attempt: 1 },
        details: { summary: `ContinueAfter \`curl -H "Authorization: Bearer ${token}"\` passed` },
      }),
    ).toMatchObject({ details: { summary: 'ContinueAfter `curl -H "Authorization: Bearer ***"` passed' } });
    const { info, deployment } = lambdaDeployment('Stopped', 0, {});
    const look = endedLook(info, deployment, 'stopped', 'Deployment d-LAMBDA to checkout/live was stopped.');
    const outcome = endedOutcome(look, {
      continueAfter: './smoke.sh',
      checks: [
        { wait: 'READY_WAIT', at: 1, result: 'failed', exitCode: 3, tail: 'token ***\nbye', masked: 1 },
      ],
    });
    if (outcome.kind !== 'failed') throw new Error('expected a failure');
    expect(outcome.failure.message).toContain('ContinueAfter output (last lines; 1 value masked');
  });
});
