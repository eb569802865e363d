import type {
  DeploymentInfo,
  DeploymentTarget,
  LifecycleEvent,
  TargetStatus,
} from '@aws-sdk/client-codedeploy';
import { type DeploymentReport, type GateReport, REPORT_SCHEMA } from './model.js';

// The report tests' one story: deployment d-7H2KQ9XAB of web-shop/prod starts at T0 on three
// instances and fails 40 s later in i-0bbb's ValidateService; d-ROLLBACK1 rolls it back.

export const T0 = Date.parse('2025-03-14T09:26:53.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
];

/** A target's lifecycle events from `startSecond` on, `failAt` failing; all Skipped when `startSecond` < 0. */
export type Lifecycle = (startSecond: number, failAt?: string) => LifecycleEvent[];

export interface LifecycleShape {
  /** The failed hook's output. */
  logTail: string;
  /** How long each event runs; events start 2 s apart. */
  eventSeconds?: number;
  /** Give succeeded events the diagnostics the agent reports for them (Success, no script, no log). */
  successDiagnostics?: boolean;
}

/**
 * Lifecycles as the agent reports them: events start 2 s apart, the failed one carries a
 * scripts/validate.sh failure with `logTail`, and every event after it is Skipped.
 */
export function lifecycleOf({
  logTail,
  eventSeconds = 2,
  successDiagnostics = false,
}: LifecycleShape): Lifecycle {
  return (startSecond, failAt) => {
    let failed = false;
    return IN_PLACE_EVENTS.map((name, index): LifecycleEvent => {
      if (failed || startSecond < 0) return { lifecycleEventName: name, status: 'Skipped' };
      const times = {
        startTime: at(startSecond + index * 2),
        endTime: at(startSecond + index * 2 + eventSeconds),
      };
      if (name !== failAt) {
        return {
          lifecycleEventName: name,
          status: 'Succeeded',
          ...times,
          ...(successDiagnostics
            ? { diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' } }
            : {}),
        };
      }
      failed = true;
      return {
        lifecycleEventName: name,
        status: 'Failed',
        ...times,
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: 'scripts/validate.sh',
          message:
            'Script at specified location: scripts/validate.sh run as user root failed with exit code 1',
          logTail,
        },
      };
    });
  };
}

/** An EC2 instance target as BatchGetDeploymentTargets answers it. */
export function instance(
  targetId: string,
  status: TargetStatus,
  lifecycleEvents: LifecycleEvent[],
): DeploymentTarget {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId: 'd-7H2KQ9XAB',
      targetId,
      targetArn: `arn:aws:ec2:eu-west-1:123456789012:instance/${targetId}`,
      status,
      lastUpdatedAt: at(60),
      lifecycleEvents,
    },
  };
}

/** The failed deployment's targets, out of id order: i-0ccc skipped, i-0aaa succeeded, i-0bbb failed. */
export function failedTargets(lifecycle: Lifecycle): DeploymentTarget[] {
  return [
    instance('i-0ccc', 'Skipped', lifecycle(-1)),
    instance('i-0aaa', 'Succeeded', lifecycle(0)),
    instance('i-0bbb', 'Failed', lifecycle(16, 'ValidateService')),
  ];
}

/** The rollback's targets: both instances that had run the failed revision's hooks succeed. */
export function rollbackTargets(lifecycle: Lifecycle): DeploymentTarget[] {
  return [instance('i-0aaa', 'Succeeded', lifecycle(45)), instance('i-0bbb', 'Succeeded', lifecycle(60))];
}

/** GetDeployment's answer for the failed deployment; `overrides` replace whole fields. */
export function failedDeploymentInfo(overrides: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    applicationName: 'web-shop',
    deploymentGroupName: 'prod',
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    deploymentId: 'd-7H2KQ9XAB',
    revision: {
      revisionType: 'S3',
      s3Location: { bucket: 'deploy-artifacts', key: 'web-shop/3f9a.zip', bundleType: 'zip' },
    },
    status: 'Failed',
    errorInformation: {
      code: 'HEALTH_CONSTRAINTS',
      message: 'Too many individual instances failed deployment',
    },
    createTime: at(-5),
    startTime: at(0),
    completeTime: at(40),
    deploymentOverview: { Succeeded: 1, Failed: 1, Skipped: 1 },
    rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1' },
    ...overrides,
  };
}

/** The gate's report of the failed deployment, watched to its end with nothing else done. */
export function failedGateReport(parts: { deployment: DeploymentReport } & Partial<GateReport>): GateReport {
  return {
    schema: REPORT_SCHEMA,
    verdict: 'failed',
    exitCode: 1,
    summary:
      'Deployment d-7H2KQ9XAB to web-shop/prod failed: HEALTH_CONSTRAINTS; i-0bbb failed in ValidateService.',
    region: 'eu-west-1',
    generatedAt: '2025-03-14T09:28:30.000Z',
    actions: [],
    watch: { elapsedMs: 97_000, getDeploymentCalls: 14, targetCalls: 6, throttled: 0 },
    maskedValues: 0,
    ...parts,
  };
}
