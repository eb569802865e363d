import { createHash } from 'node:crypto';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { buildDeploymentReport, consoleUrl, failedEvents } from './build.js';
import { at, failedDeploymentInfo, failedTargets, instance, lifecycleOf } from './fixtures.test-support.js';
import { type GateReport, REPORT_SCHEMA } from './model.js';
import { renderJsonReport } from './render-json.js';
import { renderJunitReport } from './render-junit.js';
import { renderMarkdownReport } from './render-markdown.js';
import { renderPropertiesReport } from './render-properties.js';
import { renderTextDeployment, renderTextReport } from './render-text.js';

const lifecycle = lifecycleOf({
  logTail: '[stderr]curl: (7) Failed to connect to localhost port 80',
  successDiagnostics: true,
});

/** The failed deployment with every field GetDeployment can fill in. */
const failedDeployment = failedDeploymentInfo({
  revision: {
    revisionType: 'S3',
    s3Location: {
      bucket: 'deploy-artifacts',
      key: 'web-shop/web-shop-3f9a.zip',
      bundleType: 'zip',
      version: 'Lq2vTz8',
      eTag: '"9b2cf535f27731c974343645a3985328"',
    },
  },
  errorInformation: {
    code: 'HEALTH_CONSTRAINTS',
    message: 'The overall deployment failed because too many individual instances failed deployment',
  },
  deploymentOverview: { Pending: 0, InProgress: 0, Succeeded: 1, Failed: 1, Skipped: 1, Ready: 0 },
  creator: 'user',
  description: '',
  computePlatform: 'Server',
  rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'Rolled back by d-ROLLBACK1' },
});

const targets = failedTargets(lifecycle);

describe('buildDeploymentReport', () => {
  it('turns the GetDeployment answer into ISO times, a duration, counters and the error', () => {
    const report = buildDeploymentReport(failedDeployment, targets, 'eu-west-1');

    expect(report).toMatchObject({
      id: 'd-7H2KQ9XAB',
      application: 'web-shop',
      deploymentGroup: 'prod',
      deploymentConfig: 'CodeDeployDefault.OneAtATime',
      computePlatform: 'Server',
      status: 'Failed',
      creator: 'user',
      createTime: '2025-03-14T09:26:48.000Z',
      startTime: '2025-03-14T09:26:53.000Z',
      completeTime: '2025-03-14T09:27:33.000Z',
      durationMs: 40_000,
      error: {
        code: 'HEALTH_CONSTRAINTS',
        message: 'The overall deployment failed because too many individual instances failed deployment',
      },
      overview: { pending: 0, inProgress: 0, succeeded: 1, failed: 1, skipped: 1, ready: 0 },
      rollbackMessage: 'Rolled back by d-ROLLBACK1',
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1',
    });
    expect(report.description).toBeUndefined();
  });

  it('sorts targets by id and keeps each target lifecycle in the order the service gave', () => {
    const report = buildDeploymentReport(failedDeployment, targets, 'eu-west-1');

    expect(report.targets.map((t) => [t.id, t.type, t.status])).toEqual([
      ['i-0aaa', 'instance', 'Succeeded'],
      ['i-0bbb', 'instance', 'Failed'],
      ['i-0ccc', 'instance', 'Skipped'],
    ]);
    const failed = report.targets[1]!;
    expect(failed.events.map((e) => `${e.name}:${e.status}`)).toEqual([
      'ApplicationStop:Succeeded',
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Succeeded',
      'ApplicationStart:Succeeded',
      'ValidateService:Failed',
    ]);
    expect(failed.lastUpdatedAt).toBe('2025-03-14T09:27:53.000Z');
  });

  it('gives each event ISO times, a duration when both ends are known, and no empty diagnostics', () => {
    const report = buildDeploymentReport(failedDeployment, targets, 'eu-west-1');
    const [first] = report.targets[0]!.events;
    const skipped = report.targets[2]!.events[0]!;

    expect(first).toEqual({
      name: 'ApplicationStop',
      status: 'Succeeded',
      startTime: '2025-03-14T09:26:53.000Z',
      endTime: '2025-03-14T09:26:55.000Z',
      durationMs: 2000,
      diagnostics: { errorCode: 'Success', message: 'Succeeded' },
    });
    expect(skipped).toEqual({ name: 'ApplicationStop', status: 'Skipped' });
    expect(JSON.stringify(skipped)).toBe('{"name":"ApplicationStop","status":"Skipped"}');
  });

  it('leaves out the duration of a deployment that has not completed and counts missing counters as 0', () => {
    const report = buildDeploymentReport(
      {
        deploymentId: 'd-RUNNING',
        status: 'InProgress',
        startTime: at(0),
        deploymentOverview: { InProgress: 2 },
      },
      [],
      'us-east-1',
    );

    expect(report.durationMs).toBeUndefined();
    expect(report.completeTime).toBeUndefined();
    expect(report.overview).toEqual({
      pending: 0,
      inProgress: 2,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      ready: 0,
    });
    expect(report.error).toBeUndefined();
    expect(report.targets).toEqual([]);
  });
});

describe('revision text', () => {
  const revisionOf = (revision: DeploymentInfo['revision']) =>
    buildDeploymentReport({ deploymentId: 'd-1', revision }, [], 'us-east-1').revision;

  it('shows an S3 revision as a URL with bundle type, version and unquoted eTag', () => {
    expect(revisionOf(failedDeployment.revision)).toBe(
      's3://deploy-artifacts/web-shop/web-shop-3f9a.zip (zip, version Lq2vTz8, eTag 9b2cf535f27731c974343645a3985328)',
    );
    expect(
      revisionOf({ revisionType: 'S3', s3Location: { bucket: 'b', key: 'app.tgz', bundleType: 'tgz' } }),
    ).toBe('s3://b/app.tgz (tgz)');
  });

  it('shows a GitHub revision as repository@commit', () => {
    expect(
      revisionOf({
        revisionType: 'GitHub',
        gitHubLocation: { repository: 'acme/web-shop', commitId: '4f2d8c1e9b7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c' },
      }),
    ).toBe('github acme/web-shop@4f2d8c1e9b7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c');
  });

  it('shows an inline appspec by the first 12 hex digits of its SHA-256', () => {
    const sha256 = 'a3f1c09b77e2d4c5b6a7980123456789abcdef0123456789abcdef0123456789';
    expect(revisionOf({ revisionType: 'AppSpecContent', appSpecContent: { sha256 } })).toBe(
      'appspec sha256:a3f1c09b77e2',
    );
    expect(revisionOf({ revisionType: 'String', string: { sha256 } })).toBe('appspec sha256:a3f1c09b77e2');
    const content = 'version: 0.0\nResources: []\n';
    const expected = createHash('sha256').update(content).digest('hex').slice(0, 12);
    expect(revisionOf({ revisionType: 'String', string: { content } })).toBe(`appspec sha256:${expected}`);
  });

  it('says unknown when the answer carries no revision', () => {
    expect(revisionOf(undefined)).toBe('unknown');
  });
});

describe('targets of other compute platforms', () => {
  it('describes a Lambda target by function:alias with versions and the share on the new one', () => {
    const report = buildDeploymentReport(
      { deploymentId: 'd-LAMBDA', status: 'InProgress', computePlatform: 'Lambda' },
      [
        {
          deploymentTargetType: 'LambdaTarget',
          lambdaTarget: {
            targetId: 'checkout:live',
            status: 'InProgress',
            lambdaFunctionInfo: {
              functionName: 'checkout',
              functionAlias: 'live',
              currentVersion: '3',
              targetVersion: '4',
              targetVersionWeight: 0.1,
            },
            lifecycleEvents: [
              {
                lifecycleEventName: 'BeforeAllowTraffic',
                status: 'Succeeded',
                startTime: at(0),
                endTime: at(1),
              },
              { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: at(1) },
              { lifecycleEventName: 'AfterAllowTraffic', status: 'Pending' },
            ],
          },
        },
      ],
      'us-east-1',
    );

    expect(report.targets).toEqual([
      expect.objectContaining({ id: 'checkout:live', type: 'lambda', traffic: 'version 3 → 4, 10% on 4' }),
    ]);
    expect(report.targets[0]!.events.map((e) => e.durationMs)).toEqual([1000, undefined, undefined]);
  });

  it('describes an ECS target by its task sets, labels and traffic weights', () => {
    const report = buildDeploymentReport(
      { deploymentId: 'd-ECS', status: 'Succeeded', computePlatform: 'ECS' },
      [
        {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: {
            targetId: 'prod-cluster:web',
            status: 'Succeeded',
            taskSetsInfo: [
              { identifer: 'ecs-svc/1111', taskSetLabel: 'Blue', trafficWeight: 0, status: 'ACTIVE' },
              { identifer: 'ecs-svc/2222', taskSetLabel: 'Green', trafficWeight: 100, status: 'PRIMARY' },
            ],
            lifecycleEvents: [{ lifecycleEventName: 'Install', status: 'Succeeded' }],
          },
        },
      ],
      'us-east-1',
    );

    expect(report.targets[0]).toMatchObject({
      id: 'prod-cluster:web',
      type: 'ecs',
      traffic: 'Blue ecs-svc/1111 0%, Green ecs-svc/2222 100%',
    });
  });

  it('describes a CloudFormation blue/green target by its stack and the weight on the target version', () => {
    const stack = 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/6c1b2f40';
    const report = buildDeploymentReport(
      { deploymentId: 'd-CFN', status: 'InProgress' },
      [
        {
          deploymentTargetType: 'CloudFormationTarget',
          cloudFormationTarget: {
            targetId: stack,
            status: 'InProgress',
            resourceType: 'AWS::ECS::Service',
            targetVersionWeight: 50,
          },
        },
      ],
      'us-east-1',
    );

    expect(report.targets[0]).toMatchObject({
      id: stack,
      type: 'cloudformation',
      traffic: 'AWS::ECS::Service, 50% on the target version',
      events: [],
    });
  });

  it('keeps the Blue/Green label of an instance in a blue/green deployment', () => {
    const target = instance('i-0green', 'Succeeded', []);
    target.instanceTarget!.instanceLabel = 'Green';
    const report = buildDeploymentReport({ deploymentId: 'd-BG' }, [target], 'us-east-1');
    expect(report.targets[0]).toMatchObject({ id: 'i-0green', label: 'Green' });
  });
});

describe('failedEvents', () => {
  it('lists the failed event of each failed target with its diagnostics', () => {
    const report = buildDeploymentReport(failedDeployment, targets, 'eu-west-1');

    const failures = failedEvents(report);

    expect(failures).toHaveLength(1);
    expect(failures[0]!.target.id).toBe('i-0bbb');
    expect(failures[0]!.event).toMatchObject({
      name: 'ValidateService',
      status: 'Failed',
      diagnostics: {
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        logTail: '[stderr]curl: (7) Failed to connect to localhost port 80',
      },
    });
  });

  it('leaves out a failure the target went on past (an ignored ApplicationStop failure)', () => {
    const events = lifecycle(0);
    events[0] = { ...events[0], status: 'Failed', diagnostics: { errorCode: 'ScriptFailed' } };
    const report = buildDeploymentReport(
      { deploymentId: 'd-IGNORED', status: 'Succeeded' },
      [instance('i-0aaa', 'Succeeded', events)],
      'us-east-1',
    );

    expect(failedEvents(report)).toEqual([]);
  });
});

describe('consoleUrl', () => {
  it('points at the console of the partition the region is in', () => {
    expect(consoleUrl('us-east-1', 'd-ABC')).toBe(
      'https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC?region=us-east-1',
    );
    expect(consoleUrl('cn-north-1', 'd-ABC')).toBe(
      'https://cn-north-1.console.amazonaws.cn/codesuite/codedeploy/deployments/d-ABC?region=cn-north-1',
    );
    expect(consoleUrl('us-gov-west-1', 'd-ABC')).toBe(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/codesuite/codedeploy/deployments/d-ABC?region=us-gov-west-1',
    );
  });

  it('URL-encodes the deployment id', () => {
    expect(consoleUrl('eu-west-1', 'd-A/B?c#d')).toBe(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-A%2FB%3Fc%23d?region=eu-west-1',
    );
  });
});

describe('a deployment not on AWS', () => {
  it('has no console link in the report, and no renderer makes one up', () => {
    const info: DeploymentInfo = {
      deploymentId: 'd-LOCAL0001',
      applicationName: 'app',
      deploymentGroupName: 'g',
      status: 'Succeeded',
    };
    const local = buildDeploymentReport(info, [], 'us-east-1', { awsConsole: false });
    const onAws = buildDeploymentReport(info, [], 'us-east-1');
    expect(local.consoleUrl).toBeUndefined();
    expect(onAws.consoleUrl).toBe(consoleUrl('us-east-1', 'd-LOCAL0001'));

    const report: GateReport = {
      schema: REPORT_SCHEMA,
      verdict: 'succeeded',
      exitCode: 0,
      summary: 'Deployment d-LOCAL0001 to app/g succeeded.',
      region: 'us-east-1',
      generatedAt: '2025-03-14T09:28:30.000Z',
      deployment: local,
      actions: [],
      watch: { elapsedMs: 1, getDeploymentCalls: 1, targetCalls: 0, throttled: 0 },
      maskedValues: 0,
    };
    for (const text of [
      renderTextReport(report),
      renderTextDeployment(local),
      renderMarkdownReport(report),
      renderJunitReport(report),
      renderJsonReport(report),
    ]) {
      expect(text).not.toMatch(/console|undefined/i);
      expect(text).toContain('d-LOCAL0001');
    }
    expect(renderPropertiesReport(report)).toMatch(/^CONSOLE_URL=$/m);
  });
});
