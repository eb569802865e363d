import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import {
  failedDeploymentInfo,
  failedGateReport,
  failedTargets,
  IN_PLACE_EVENTS,
  instance,
  lifecycleOf,
  rollbackTargets,
} from './fixtures.test-support.js';
import type { GateReport } from './model.js';
import { renderJunitReport } from './render-junit.js';

/** Script output that breaks naive XML: markup, an ampersand, a CDATA end, a fence, a NUL and a BEL. */
const LOG_TAIL = [
  '[stdout]GET http://localhost/health?deep=1&verbose=true',
  '[stdout]<html><body>502 Bad Gateway</body></html>',
  '[stderr]assertion ]]> failed: "status" != \'200\'',
  '[stdout]```',
  '[stderr]\u0000\u0007validate.sh: health check failed',
].join('\n');
const LOG_TAIL_KEPT = LOG_TAIL.replace('\u0000\u0007', '');

const lifecycle = lifecycleOf({ logTail: LOG_TAIL, eventSeconds: 1.5 });

const deploymentInfo = failedDeploymentInfo({
  revision: { revisionType: 'GitHub', gitHubLocation: { repository: 'acme/web-shop', commitId: '4f2d8c1' } },
});

function failedReport(): GateReport {
  return failedGateReport({
    deployment: buildDeploymentReport(deploymentInfo, failedTargets(lifecycle), 'eu-west-1'),
    rollback: buildDeploymentReport(
      { ...deploymentInfo, deploymentId: 'd-ROLLBACK1', status: 'Succeeded', errorInformation: undefined },
      rollbackTargets(lifecycle),
      'eu-west-1',
    ),
  });
}

/** A report whose deployment failed before any lifecycle event ran. */
function reportWithoutEventFailure(overrides: Partial<GateReport>): GateReport {
  return {
    ...failedReport(),
    rollback: undefined,
    deployment: buildDeploymentReport(
      {
        ...deploymentInfo,
        errorInformation: {
          code: 'HEALTH_CONSTRAINTS_INVALID',
          message: 'The deployment group needs at least 2 instances & "healthy" <hosts>',
        },
        deploymentOverview: { Skipped: 2 },
      },
      [instance('i-0aaa', 'Skipped', lifecycle(-1)), instance('i-0bbb', 'Skipped', lifecycle(-1))],
      'eu-west-1',
    ),
    ...overrides,
  };
}

type Counts = Record<'tests' | 'failures' | 'errors' | 'time', string> & { skipped?: string };
interface ParsedCase {
  classname: string;
  name: string;
  time: string;
  failure?: { type: string; message: string; '#text'?: string };
  skipped?: { message: string };
}
interface ParsedSuite extends Counts {
  name: string;
  timestamp: string;
  hostname?: string;
  testcase: ParsedCase[];
  'system-out': string;
}
interface ParsedXml {
  testsuites: Counts & { name: string; testsuite: ParsedSuite[] };
}

/** Parses as a CI server would: well-formedness first, entities and character references decoded. */
function parse(xml: string): ParsedXml {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return parser.parse(xml) as ParsedXml;
}

describe('renderJunitReport', () => {
  it('writes an XML declaration, a testsuite per deployment and totals over both', () => {
    const xml = renderJunitReport(failedReport());
    const { testsuites } = parse(xml);

    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(testsuites).toMatchObject({ name: 'codedeploy-gate', tests: '37', failures: '2', errors: '0' });
    // junit-10.xsd has no `skipped` on <testsuites> (only on each <testsuite>).
    expect(testsuites.skipped).toBeUndefined();
    expect(
      testsuites.testsuite.map((suite) => [suite.name, suite.tests, suite.failures, suite.skipped]),
    ).toEqual([
      ['codedeploy d-7H2KQ9XAB web-shop/prod', '22', '2', '7'],
      ['codedeploy d-ROLLBACK1 web-shop/prod (rollback)', '15', '0', '0'],
    ]);
    const [main] = testsuites.testsuite;
    expect(main).toMatchObject({ timestamp: '2025-03-14T09:26:53', time: '40.000' });
    expect(main!.hostname).toBeUndefined();
  });

  it('has a testcase per target lifecycle event, named by event and classed by application.group.target', () => {
    const [main] = parse(renderJunitReport(failedReport())).testsuites.testsuite;
    const cases = main!.testcase;

    expect(cases.filter((c) => c.classname === 'web-shop.prod.i-0aaa').map((c) => c.name)).toEqual(
      IN_PLACE_EVENTS,
    );
    expect(cases.find((c) => c.classname === 'web-shop.prod.i-0aaa')).toEqual({
      classname: 'web-shop.prod.i-0aaa',
      name: 'ApplicationStop',
      time: '1.500',
    });
    expect(cases.filter((c) => c.classname === 'web-shop.prod.i-0ccc').every((c) => c.skipped)).toBe(true);
    expect(cases.find((c) => c.classname === 'web-shop.prod.i-0ccc')?.skipped?.message).toBe(
      'ApplicationStop was skipped',
    );
  });

  it('reports the failed event as a failure typed by its error code, with the log tail intact as text', () => {
    const [main] = parse(renderJunitReport(failedReport())).testsuites.testsuite;

    const failed = main!.testcase.filter((c) => c.failure !== undefined && c.name !== 'deployment');

    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ classname: 'web-shop.prod.i-0bbb', name: 'ValidateService' });
    expect(failed[0]!.failure).toMatchObject({
      type: 'ScriptFailed',
      message:
        'ValidateService failed: ScriptFailed: Script at specified location: scripts/validate.sh run as user root failed with exit code 1',
    });
    expect(failed[0]!.failure!['#text']).toContain(LOG_TAIL_KEPT);
  });

  it('escapes markup and drops characters XML 1.0 forbids, so strict parsers accept the file', () => {
    const xml = renderJunitReport(failedReport());

    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<html>');
    expect(xml).toContain('&lt;html&gt;&lt;body&gt;502 Bad Gateway');
  });

  it('fails the deployment testcase also when a lifecycle event carries the failure', () => {
    const [main, rollback] = parse(renderJunitReport(failedReport())).testsuites.testsuite;

    expect(main!.testcase.at(-1)).toMatchObject({
      classname: 'web-shop.prod',
      name: 'deployment',
      failure: { type: 'HEALTH_CONSTRAINTS' },
    });
    expect(rollback!.testcase.at(-1)).toEqual({
      classname: 'web-shop.prod.rollback',
      name: 'deployment',
      time: '40.000',
    });
    expect(rollback!.testcase.filter((c) => c.classname === 'web-shop.prod.rollback.i-0bbb')).toHaveLength(7);
  });

  it('fails a deployment testcase with the verdict and error when no lifecycle event failed', () => {
    const { testsuites } = parse(renderJunitReport(reportWithoutEventFailure({})));

    expect(testsuites).toMatchObject({ tests: '15', failures: '1' });
    expect(testsuites.testsuite[0]).toMatchObject({ skipped: '14' });
    const deployment = testsuites.testsuite[0]!.testcase.at(-1)!;
    expect(deployment).toMatchObject({ classname: 'web-shop.prod', name: 'deployment' });
    expect(deployment.failure).toMatchObject({
      type: 'HEALTH_CONSTRAINTS_INVALID',
      message:
        'd-7H2KQ9XAB deployment failed: HEALTH_CONSTRAINTS_INVALID: The deployment group needs at least 2 instances & "healthy" <hosts>',
    });
  });

  it('fails the deployment testcase of a timed-out gate by its verdict when the service reported no error', () => {
    const report = reportWithoutEventFailure({ verdict: 'timed-out', exitCode: 3 });
    report.deployment.status = 'InProgress';
    report.deployment.error = undefined;

    const [suite] = parse(renderJunitReport(report)).testsuites.testsuite;

    expect(suite!.testcase.at(-1)!.failure).toMatchObject({
      type: 'timed-out',
      message: 'd-7H2KQ9XAB gate timed out: status InProgress',
    });
  });

  it('passes the deployment testcase of a successful deployment', () => {
    const report: GateReport = {
      ...failedReport(),
      verdict: 'succeeded',
      exitCode: 0,
      rollback: undefined,
      deployment: buildDeploymentReport(
        { ...deploymentInfo, status: 'Succeeded', errorInformation: undefined },
        [instance('i-0aaa', 'Succeeded', lifecycle(0))],
        'eu-west-1',
      ),
    };

    const { testsuites } = parse(renderJunitReport(report));

    expect(testsuites).toMatchObject({ tests: '8', failures: '0' });
    expect(testsuites.testsuite[0]).toMatchObject({ skipped: '0' });
    expect(testsuites.testsuite[0]!.testcase.at(-1)).toEqual({
      classname: 'web-shop.prod',
      name: 'deployment',
      time: '40.000',
    });
  });

  it('puts the summary and the console URL in system-out', () => {
    const [main] = parse(renderJunitReport(failedReport())).testsuites.testsuite;

    expect(main!['system-out']).toBe(
      [
        'Deployment d-7H2KQ9XAB to web-shop/prod failed: HEALTH_CONSTRAINTS; i-0bbb failed in ValidateService.',
        'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1',
      ].join('\n'),
    );
  });

  it('keeps dots in target names from splitting the class name', () => {
    const report = reportWithoutEventFailure({});
    report.deployment.targets[0]!.id = 'web-1.example.com';

    const [suite] = parse(renderJunitReport(report)).testsuites.testsuite;

    expect(suite!.testcase[0]!.classname).toBe('web-shop.prod.web-1_example_com');
  });
});
