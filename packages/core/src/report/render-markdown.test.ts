import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { buildDeploymentReport } from './build.js';
import {
  at,
  failedDeploymentInfo,
  failedGateReport,
  failedTargets,
  instance,
  lifecycleOf,
  rollbackTargets,
  T0,
} from './fixtures.test-support.js';
import type { GateReport, Verdict } from './model.js';
import { renderMarkdownReport } from './render-markdown.js';

/** A hook's output with everything that breaks naive Markdown: HTML, a fence, a longer fence, a BEL. */
const LOG_TAIL = [
  '[stdout]GET http://localhost/health?deep=1&verbose=true',
  '[stdout]<html><body>502 Bad Gateway</body></html>',
  '[stdout]```',
  '[stdout]| not | a | table |',
  '````',
  '[stderr]\u0007validate.sh: health check failed',
].join('\n');
const LOG_TAIL_SHOWN = LOG_TAIL.replace('\u0007', '');

const lifecycle = lifecycleOf({ logTail: LOG_TAIL });

const deploymentInfo = failedDeploymentInfo();

const rollbackInfo: DeploymentInfo = {
  ...deploymentInfo,
  deploymentId: 'd-ROLLBACK1',
  status: 'Succeeded',
  errorInformation: undefined,
  startTime: at(45),
  completeTime: at(75),
  deploymentOverview: { Succeeded: 3 },
  rollbackInfo: undefined,
};

function gateReport(overrides: Partial<GateReport> = {}): GateReport {
  return failedGateReport({
    deployment: buildDeploymentReport(deploymentInfo, failedTargets(lifecycle), 'eu-west-1'),
    rollback: buildDeploymentReport(rollbackInfo, rollbackTargets(lifecycle), 'eu-west-1'),
    actions: [
      { at: '2025-03-14T09:26:48.000Z', kind: 'created', detail: 'Created d-7H2KQ9XAB' },
      { at: '2025-03-14T09:27:33.000Z', kind: 'verification-failed', detail: 'smoke test | exit 1' },
    ],
    watch: { elapsedMs: 97_000, getDeploymentCalls: 14, targetCalls: 6, throttled: 1 },
    ...overrides,
  });
}

/** The lines of the first fenced block opened by `opening`, and the fence that closes it. */
function fencedBlock(markdown: string, opening: RegExp): { fence: string; body: string[] } {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => opening.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const fence = /^`+/.exec(lines[start]!)![0];
  const end = lines.findIndex(
    (line, index) => index > start && line.startsWith('`') && line.trim() === fence,
  );
  expect(end).toBeGreaterThan(start);
  return { fence, body: lines.slice(start + 1, end) };
}

describe('renderMarkdownReport', () => {
  it.each<[Verdict, string]>([
    ['succeeded', '## ✅ web-shop/prod: deployment succeeded'],
    ['failed', '## ❌ web-shop/prod: deployment failed'],
    ['stopped', '## ❌ web-shop/prod: deployment stopped'],
    ['timed-out', '## ⏱️ web-shop/prod: gate timed out'],
    ['cancelled', '## 🛑 web-shop/prod: gate cancelled'],
    ['created', '## 🚀 web-shop/prod: deployment created'],
  ])('heads a %s report with its verdict emoji', (verdict, heading) => {
    const markdown = renderMarkdownReport(gateReport({ verdict }));
    expect(markdown.split('\n')[0]).toBe(heading);
  });

  it('follows the heading with the summary and a table of the deployment facts', () => {
    const markdown = renderMarkdownReport(gateReport());
    const url =
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1';

    expect(markdown).toContain(
      '\n\nDeployment d-7H2KQ9XAB to web-shop/prod failed: HEALTH\\_CONSTRAINTS; i-0bbb failed in ValidateService.\n\n',
    );
    for (const row of [
      `| Deployment | [\`d-7H2KQ9XAB\`](${url}) |`,
      '| Application | web-shop |',
      '| Deployment group | prod |',
      '| Deployment config | CodeDeployDefault.OneAtATime |',
      '| Revision | `s3://deploy-artifacts/web-shop/3f9a.zip (zip)` |',
      '| Status | ❌ Failed |',
      '| Duration | 40.0s |',
      '| Targets | 1 succeeded · 1 failed · 1 skipped |',
      '| Error | `HEALTH_CONSTRAINTS` Too many individual instances failed deployment |',
    ]) {
      expect(markdown.split('\n')).toContain(row);
    }
  });

  it('shows the failed event with instance, error code, script and the whole log tail in a fence it cannot close', () => {
    const markdown = renderMarkdownReport(gateReport());

    expect(markdown).toContain('#### ❌ `i-0bbb` ValidateService');
    expect(markdown).toContain(
      [
        '- **Instance:** `i-0bbb`',
        '- **Event:** ValidateService',
        '- **Error code:** `ScriptFailed`',
        '- **Script:** `scripts/validate.sh`',
      ].join('\n'),
    );
    const { fence, body } = fencedBlock(markdown, /^`{3,}text$/);
    expect(fence.length).toBeGreaterThan(4);
    expect(body.join('\n')).toBe(LOG_TAIL_SHOWN);
  });

  it('escapes pipes and line breaks in table cells so a message cannot break the table', () => {
    const report = gateReport();
    report.deployment.error = { code: 'HEALTH_CONSTRAINTS', message: 'first | second\nthird' };

    const lines = renderMarkdownReport(report).split('\n');

    expect(lines).toContain('| Error | `HEALTH_CONSTRAINTS` first \\| second<br>third |');
  });

  it('lists every lifecycle event of each target in its own table, the failed target unfolded', () => {
    const markdown = renderMarkdownReport(gateReport());
    const mainPart = markdown.slice(0, markdown.indexOf('Rollback `d-ROLLBACK1`'));

    expect(mainPart).toContain('<details open>\n<summary>❌ <code>i-0bbb</code> Failed</summary>');
    expect(mainPart).toContain('<details>\n<summary>✅ <code>i-0aaa</code> Succeeded</summary>');
    expect(mainPart).toContain('<details>\n<summary>⏭️ <code>i-0ccc</code> Skipped</summary>');
    expect(
      mainPart.match(/^\| Event \| Status \| Start \(UTC\) \| Duration \| Error code \|$/gm),
    ).toHaveLength(3);
    expect(mainPart).toContain('| ValidateService | ❌ Failed | 09:27:21 | 2.0s | `ScriptFailed` |');
    expect(mainPart).toContain('| ApplicationStop | ✅ Succeeded | 09:26:53 | 2.0s |  |');
    expect(mainPart.match(/^\| \w+ \| ⏭️ Skipped \| {2}\| {2}\| {2}\|$/gm)).toHaveLength(7);
  });

  it('draws a Mermaid gantt timeline with a section per target and a tagged bar per started event', () => {
    const markdown = renderMarkdownReport(gateReport());
    const { body } = fencedBlock(markdown, /^```mermaid$/);

    expect(body.slice(0, 4)).toEqual([
      'gantt',
      '  dateFormat x',
      '  axisFormat %H:%M:%S',
      '  todayMarker off',
    ]);
    expect(body.filter((line) => line.startsWith('  section '))).toEqual([
      '  section i-0aaa',
      '  section i-0bbb',
    ]);
    const tasks = body.filter((line) => / :/.test(line));
    expect(tasks).toHaveLength(14);
    for (const task of tasks) expect(task).toMatch(/^ {2}[^:;#]+ :(?:(?:crit|done|active), )?\d+, \d+$/);
    expect(tasks).toContain(`  ValidateService :crit, ${T0 + 28_000}, ${T0 + 30_000}`);
    expect(tasks).toContain(`  ApplicationStop :done, ${T0}, ${T0 + 2000}`);
  });

  it('keeps Mermaid-breaking characters out of timeline names and ends running events at the report time', () => {
    const generatedAt = '2025-03-14T09:30:00.000Z';
    const report = gateReport({
      verdict: 'timed-out',
      generatedAt,
      rollback: undefined,
      deployment: buildDeploymentReport(
        { deploymentId: 'd-ECS1', applicationName: 'web', deploymentGroupName: 'ecs', status: 'InProgress' },
        [
          {
            deploymentTargetType: 'ECSTarget',
            ecsTarget: {
              targetId: 'prod-cluster:web;svc#1',
              status: 'InProgress',
              lifecycleEvents: [
                { lifecycleEventName: 'Install', status: 'Succeeded', startTime: at(0), endTime: at(30) },
                { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: at(30) },
                { lifecycleEventName: 'AfterAllowTraffic', status: 'Pending' },
              ],
            },
          },
        ],
        'eu-west-1',
      ),
    });

    const { body } = fencedBlock(renderMarkdownReport(report), /^```mermaid$/);

    expect(body.slice(4)).toEqual([
      '  section prod-cluster web svc 1',
      `  Install :done, ${T0}, ${T0 + 30_000}`,
      `  AllowTraffic :active, ${T0 + 30_000}, ${Date.parse(generatedAt)}`,
    ]);
  });

  it('keeps the timeline of a large fleet under the Mermaid size limit, failed targets first', () => {
    const ids = Array.from({ length: 400 }, (_, n) => `i-${String(n).padStart(17, '0')}`);
    const report = gateReport({
      rollback: undefined,
      deployment: buildDeploymentReport(
        deploymentInfo,
        ids.map((id, n) =>
          n === 399
            ? instance(id, 'Failed', lifecycle(16, 'ValidateService'))
            : instance(id, 'Succeeded', lifecycle(0)),
        ),
        'eu-west-1',
      ),
    });

    const markdown = renderMarkdownReport(report);
    const { body } = fencedBlock(markdown, /^```mermaid$/);
    const sections = body.filter((line) => line.startsWith('  section '));

    expect(body.join('\n').length).toBeLessThan(50_000);
    expect(sections.length).toBeGreaterThan(10);
    expect(sections.length).toBeLessThan(400);
    expect(sections).toContain(`  section ${ids[399]}`);
    expect(markdown).toContain(
      `_The timeline shows ${sections.length} of 400 targets, those with a failed event first._`,
    );
  });

  it('adds the rollback deployment after the original, then the gate actions and the console link', () => {
    const markdown = renderMarkdownReport(gateReport());
    const rollbackAt = markdown.indexOf('### ↩️ Rollback `d-ROLLBACK1`');
    const actionsAt = markdown.indexOf('### Gate actions');

    expect(rollbackAt).toBeGreaterThan(markdown.indexOf('### Timeline'));
    expect(actionsAt).toBeGreaterThan(rollbackAt);
    expect(markdown.slice(rollbackAt, actionsAt)).toContain('| Status | ✅ Succeeded |');
    expect(markdown.slice(rollbackAt, actionsAt)).toContain('#### Timeline');
    expect(markdown).toContain('- `09:26:48` **created** Created d-7H2KQ9XAB');
    expect(markdown).toContain('- `09:27:33` **verification-failed** smoke test | exit 1');
    expect(markdown.trimEnd().split('\n').at(-1)).toBe(
      '[Open d-7H2KQ9XAB in the AWS console](https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-7H2KQ9XAB?region=eu-west-1)',
    );
    expect(markdown.endsWith(')\n')).toBe(true);
  });

  it('leaves out the failure, rollback and timeline sections when there is nothing to show', () => {
    const markdown = renderMarkdownReport(
      gateReport({
        verdict: 'created',
        rollback: undefined,
        actions: [],
        deployment: buildDeploymentReport(
          {
            deploymentId: 'd-NEW',
            applicationName: 'web-shop',
            deploymentGroupName: 'prod',
            status: 'Created',
          },
          [],
          'eu-west-1',
        ),
      }),
    );

    expect(markdown).not.toContain('What failed');
    expect(markdown).not.toContain('Rollback');
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).not.toContain('Gate actions');
    expect(markdown).toContain('| Status | Created |');
  });
});
