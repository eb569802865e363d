import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import { type GateReport, REPORT_SCHEMA } from './model.js';
import { renderJsonReport } from './render-json.js';

function report(): GateReport {
  const deployment = buildDeploymentReport(
    {
      deploymentId: 'd-7H2KQ9XAB',
      applicationName: 'web-shop',
      deploymentGroupName: 'prod',
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'Too many individual instances failed' },
      startTime: new Date('2025-03-14T09:26:53.000Z'),
      completeTime: new Date('2025-03-14T09:27:33.000Z'),
    },
    [
      {
        instanceTarget: {
          targetId: 'i-0bbb',
          status: 'Failed',
          lifecycleEvents: [
            {
              lifecycleEventName: 'ValidateService',
              status: 'Failed',
              diagnostics: { logTail: 'curl: (7)', errorCode: 'ScriptFailed' },
            },
          ],
        },
      },
    ],
    'eu-west-1',
  );
  // Built in a different key order than the model's, as a producer may well do.
  return {
    maskedValues: 0,
    watch: { throttled: 0, targetCalls: 2, getDeploymentCalls: 9, elapsedMs: 41_000 },
    actions: [{ detail: 'Created d-7H2KQ9XAB', kind: 'created', at: '2025-03-14T09:26:52.000Z' }],
    deployment,
    generatedAt: '2025-03-14T09:27:34.000Z',
    region: 'eu-west-1',
    summary: 'Deployment d-7H2KQ9XAB to web-shop/prod failed.',
    exitCode: 1,
    verdict: 'failed',
    schema: REPORT_SCHEMA,
  };
}

describe('renderJsonReport', () => {
  it('writes 2-space JSON with a trailing newline that reads back to the same report', () => {
    const json = renderJsonReport(report());

    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "schema": "codedeploy-gate/report@1",');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report())));
  });

  it('orders keys as the model declares them, whatever order the report was built in', () => {
    const parsed = JSON.parse(renderJsonReport(report()));

    expect(Object.keys(parsed)).toEqual([
      'schema',
      'verdict',
      'exitCode',
      'summary',
      'region',
      'generatedAt',
      'deployment',
      'actions',
      'watch',
      'maskedValues',
    ]);
    expect(Object.keys(parsed.deployment)).toEqual([
      'id',
      'application',
      'deploymentGroup',
      'status',
      'revision',
      'startTime',
      'completeTime',
      'durationMs',
      'error',
      'overview',
      'consoleUrl',
      'targets',
    ]);
    expect(Object.keys(parsed.actions[0])).toEqual(['at', 'kind', 'detail']);
    expect(Object.keys(parsed.watch)).toEqual([
      'elapsedMs',
      'getDeploymentCalls',
      'targetCalls',
      'throttled',
    ]);
    expect(Object.keys(parsed.deployment.targets[0].events[0].diagnostics)).toEqual(['errorCode', 'logTail']);
  });

  it('keeps fields a newer producer added after the known ones', () => {
    const withExtra = { ...report(), verification: { passed: true } } as GateReport;

    const parsed = JSON.parse(renderJsonReport(withExtra));

    expect(Object.keys(parsed).at(-1)).toBe('verification');
    expect(parsed.verification).toEqual({ passed: true });
  });
});
