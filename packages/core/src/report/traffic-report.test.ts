import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import { at } from './fixtures.test-support.js';
import { type GateReport, REPORT_SCHEMA } from './model.js';
import { renderJsonReport } from './render-json.js';
import { renderMarkdownReport } from './render-markdown.js';
import { renderPropertiesReport } from './render-properties.js';
import { renderTextReport } from './render-text.js';

// A Lambda canary moved checkout:live from version 6 to 7 in full, then AfterAllowTraffic failed.

const info: DeploymentInfo = {
  deploymentId: 'd-LAMBDA01',
  applicationName: 'checkout',
  deploymentGroupName: 'live',
  deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  computePlatform: 'Lambda',
  status: 'Failed',
  revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: 'ab12cd34ef56ab12cd34ef56' } },
  startTime: at(0),
  completeTime: at(400),
  deploymentOverview: { Failed: 1 },
};

const target: DeploymentTarget = {
  deploymentTargetType: 'LambdaTarget',
  lambdaTarget: {
    targetId: 'checkout:live',
    status: 'Failed',
    lambdaFunctionInfo: {
      functionName: 'checkout',
      functionAlias: 'live',
      currentVersion: '6',
      targetVersion: '7',
      targetVersionWeight: 100,
    },
    lifecycleEvents: [
      { lifecycleEventName: 'BeforeAllowTraffic', status: 'Succeeded', startTime: at(0), endTime: at(2) },
      { lifecycleEventName: 'AllowTraffic', status: 'Succeeded', startTime: at(2), endTime: at(303) },
      {
        lifecycleEventName: 'AfterAllowTraffic',
        status: 'Failed',
        startTime: at(303),
        endTime: at(400),
        diagnostics: { errorCode: 'UnknownError', message: 'The hook reported Failed' },
      },
    ],
  },
};

const context = {
  trafficRouting: {
    type: 'TimeBasedCanary' as const,
    timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
  },
  lambda: {
    functionName: 'checkout',
    alias: 'live',
    currentVersion: '6',
    targetVersion: '7',
    origin: 'uploaded' as const,
  },
};

const report = (): GateReport => ({
  schema: REPORT_SCHEMA,
  verdict: 'failed',
  exitCode: 1,
  summary:
    'Deployment d-LAMBDA01 to checkout/live failed; checkout:live failed in AfterAllowTraffic (UnknownError).',
  region: 'us-east-1',
  generatedAt: '2025-03-14T09:33:53.000Z',
  deployment: buildDeploymentReport(info, [target], 'us-east-1', context),
  actions: [],
  watch: { elapsedMs: 400_000, getDeploymentCalls: 40, targetCalls: 40, throttled: 0 },
  maskedValues: 0,
});

describe('reports of a Lambda deployment the gate built', () => {
  it('carries the alias shift in the revision line and as data, and the traffic shift on the target', () => {
    const deployment = report().deployment;

    expect(deployment.revision).toBe('appspec sha256:ab12cd34ef56 (checkout:live 6 → 7)');
    expect(deployment.lambda).toEqual(context.lambda);
    expect(deployment.targets[0]?.trafficShift).toEqual({
      percent: 100,
      step: 2,
      steps: 2,
      config: 'canary 10% then 100% after 5m',
    });
  });

  it('writes the new fields into the JSON contract in a fixed place, after the existing ones', () => {
    const parsed = JSON.parse(renderJsonReport(report()));

    expect(Object.keys(parsed.deployment).slice(-2)).toEqual(['targets', 'lambda']);
    expect(Object.keys(parsed.deployment.lambda)).toEqual([
      'functionName',
      'alias',
      'currentVersion',
      'targetVersion',
      'origin',
    ]);
    expect(Object.keys(parsed.deployment.targets[0]).slice(-3)).toEqual([
      'events',
      'traffic',
      'trafficShift',
    ]);
    expect(Object.keys(parsed.deployment.targets[0].trafficShift)).toEqual([
      'percent',
      'step',
      'steps',
      'config',
    ]);
  });

  it('keeps where the traffic ended in the text report, even for a target whose row shows its failure', () => {
    const text = renderTextReport(report());

    expect(text).toContain(
      'checkout:live  Failed  6m 40s  AfterAllowTraffic: UnknownError The hook reported Failed',
    );
    expect(text).toContain(
      'checkout:live traffic: version 6 → 7, 100% on 7 (step 2 of 2, canary 10% then 100% after 5m)',
    );
  });

  it('shows the traffic in the Markdown facts and in the target heading', () => {
    const markdown = renderMarkdownReport(report());

    expect(markdown).toContain(
      '| Traffic | `checkout:live` version 6 → 7, 100% on 7 (step 2 of 2, canary 10% then 100% after 5m) |',
    );
    expect(markdown).toContain(
      '<summary>❌ <code>checkout:live</code> Failed · version 6 → 7, 100% on 7 (step 2 of 2, canary 10% then 100% after 5m)</summary>',
    );
    expect(markdown).toContain('| Revision | `appspec sha256:ab12cd34ef56 (checkout:live 6 → 7)` |');
  });

  it('adds the Lambda facts and the traffic share to the properties file', () => {
    const lines = renderPropertiesReport(report()).split('\n');

    expect(lines).toEqual(
      expect.arrayContaining([
        'TRAFFIC_PERCENT=100',
        'LAMBDA_FUNCTION=checkout',
        'LAMBDA_ALIAS=live',
        'LAMBDA_CURRENT_VERSION=6',
        'LAMBDA_TARGET_VERSION=7',
      ]),
    );
  });
});

describe('reports of an ECS deployment the gate built', () => {
  it('names the registered task definition and the service in the revision line and the properties', () => {
    const ecs = {
      cluster: 'prod',
      service: 'web',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:42',
      taskDefinition: 'web:42',
      origin: 'service' as const,
      containerName: 'web',
      containerPort: 80,
    };
    const deployment = buildDeploymentReport({ ...info, computePlatform: 'ECS' }, [], 'us-east-1', { ecs });

    expect(deployment.revision).toBe('appspec sha256:ab12cd34ef56 (web:42 for prod/web)');
    expect(deployment.ecs).toEqual(ecs);
    const properties = renderPropertiesReport({ ...report(), deployment });
    expect(properties).toContain('ECS_SERVICE=prod/web\n');
    expect(properties).toContain(
      'ECS_TASK_DEFINITION=arn\\:aws\\:ecs\\:us-east-1\\:111122223333\\:task-definition/web\\:42\n',
    );
  });
});
