import type { DeploymentStatus, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import { validateJunitXml } from '@codedeploy-gate/test-support';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import {
  failedDeploymentInfo,
  failedGateReport,
  instance,
  lifecycleOf,
  rollbackTargets,
} from './fixtures.test-support.js';
import type { GateReport, Verdict } from './model.js';
import { renderJunitReport } from './render-junit.js';

const lifecycle = lifecycleOf({ logTail: '[stderr]health check failed: <502> & "down"' });

/** The second instance's events stopped partway: those after `from` never ran, the one before still runs. */
function unfinished(events: LifecycleEvent[], from: number): LifecycleEvent[] {
  return events.map((event, index) =>
    index < from - 1
      ? event
      : index === from - 1
        ? { lifecycleEventName: event.lifecycleEventName, status: 'InProgress', startTime: event.startTime }
        : { lifecycleEventName: event.lifecycleEventName, status: 'Pending' },
  );
}

/** One gate report per outcome, over the same two instances. */
const OUTCOMES: ReadonlyArray<{ verdict: Verdict; status: DeploymentStatus; rollback?: true }> = [
  { verdict: 'succeeded', status: 'Succeeded' },
  { verdict: 'failed', status: 'Failed' },
  { verdict: 'failed', status: 'Failed', rollback: true },
  { verdict: 'timed-out', status: 'InProgress' },
  { verdict: 'stopped', status: 'Stopped' },
  { verdict: 'cancelled', status: 'Stopped' },
];

function reportFor({ verdict, status, rollback }: (typeof OUTCOMES)[number]): GateReport {
  const second =
    verdict === 'succeeded'
      ? instance('i-0bbb', 'Succeeded', lifecycle(16))
      : verdict === 'failed'
        ? instance('i-0bbb', 'Failed', lifecycle(16, 'ValidateService'))
        : instance('i-0bbb', 'InProgress', unfinished(lifecycle(16), 4));
  const info = failedDeploymentInfo({
    status,
    ...(verdict === 'succeeded' || verdict === 'timed-out'
      ? { errorInformation: undefined, rollbackInfo: undefined }
      : {}),
    ...(verdict === 'stopped' || verdict === 'cancelled'
      ? { errorInformation: { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user' } }
      : {}),
  });
  const targets = [instance('i-0aaa', 'Succeeded', lifecycle(0)), second];
  return failedGateReport({
    verdict,
    exitCode: { succeeded: 0, failed: 1, stopped: 1, 'timed-out': 3, cancelled: 143, created: 0 }[verdict],
    deployment: buildDeploymentReport(info, targets, 'eu-west-1'),
    ...(rollback
      ? {
          rollback: buildDeploymentReport(
            { ...info, deploymentId: 'd-ROLLBACK1', status: 'Succeeded', errorInformation: undefined },
            rollbackTargets(lifecycle),
            'eu-west-1',
          ),
        }
      : {}),
  });
}

/** Each testcase by class and name, the way Jenkins keeps a test's history. */
function caseIds(xml: string, suiteIndex = 0): string[] {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml);
  return parsed.testsuites.testsuite[suiteIndex].testcase.map(
    (c: { classname: string; name: string }) => `${c.classname} ${c.name}`,
  );
}

describe('JUnit report for strict consumers', () => {
  it.for(OUTCOMES)(
    "is valid against the xUnit plugin's junit-10.xsd for a $verdict deployment (rollback: $rollback)",
    (outcome, context) => {
      const check = validateJunitXml(renderJunitReport(reportFor(outcome)));
      if (check.kind === 'unavailable') {
        console.warn(`skipped: ${check.reason}`);
        context.skip();
      }
      expect(check).toEqual({ kind: 'valid' });
    },
  );

  it('is refused by the schema when it carries what junit-10.xsd forbids (the check checks)', (context) => {
    const xml = renderJunitReport(reportFor(OUTCOMES[1]!)).replace(
      '<testsuites ',
      '<testsuites skipped="7" ',
    );
    const check = validateJunitXml(xml);
    if (check.kind === 'unavailable') {
      console.warn(`skipped: ${check.reason}`);
      context.skip();
    }
    expect(check.kind).toBe('invalid');
    expect(check.kind === 'invalid' && check.errors).toMatch(/skipped/);
  });

  it('has the same testcases whatever the outcome: every event of every instance, and the deployment', () => {
    const [first, ...others] = OUTCOMES.map((outcome) => caseIds(renderJunitReport(reportFor(outcome))));
    expect(first).toHaveLength(15);
    expect(first).toContain('web-shop.prod deployment');
    for (const ids of others) expect(ids).toEqual(first);
  });
});
