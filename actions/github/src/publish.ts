import { join, relative } from 'node:path';
import * as core from '@actions/core';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import {
  type AppspecProblem,
  checkReportFiles,
  failedEvents,
  type GateReport,
  type ReportFileNames,
  type ReportFiles,
  renderMarkdownReport,
  writeReportFiles,
} from '@codedeploy-gate/core';

/** The step outputs of action.yml, from the report (and what the step itself knows). */
export function setOutputs(
  report: GateReport,
  revision: RevisionLocation | undefined,
  bundleSha256?: string,
): void {
  const d = report.deployment;
  core.setOutput('deployment-id', d.id);
  core.setOutput('status', d.status);
  core.setOutput('verdict', report.verdict);
  core.setOutput('revision', (revision && revisionText(revision)) ?? d.revision);
  core.setOutput('bundle-sha256', bundleSha256 ?? '');
  core.setOutput('deployment-url', d.consoleUrl ?? '');
  core.setOutput('rollback-deployment-id', report.rollback?.id ?? '');
  core.setOutput('lambda-version', d.lambda?.targetVersion ?? '');
  core.setOutput('task-definition-arn', d.ecs?.taskDefinitionArn ?? '');
  const shift = d.targets.find((target) => target.trafficShift !== undefined)?.trafficShift;
  core.setOutput('traffic-percent', shift === undefined ? '' : String(shift.percent));
}

/**
 * `s3://bucket/key` (with the version when there is one) or `owner/repo@commit`; undefined for an
 * inline AppSpec, which the report names better (`appspec sha256:… (checkout:live 7 → 8)`).
 */
export function revisionText(revision: RevisionLocation): string | undefined {
  const s3 = revision.s3Location;
  if (s3) return `s3://${s3.bucket}/${s3.key}${s3.version ? `?versionId=${s3.version}` : ''}`;
  const github = revision.gitHubLocation;
  if (github) return `${github.repository}@${github.commitId}`;
  return undefined;
}

/**
 * Annotations on the run: an error per failed lifecycle event (target, event, error code, script or
 * hook function, and log tail; a warning when the deployment succeeded all the same), one per failed
 * continue-after check, the deployment's own error when neither explains it, a warning per skipped
 * target. `hookFunctions` are the Lambda functions of a built AppSpec by event: a Lambda or ECS hook
 * failure names its function even when the service's diagnostics do not.
 */
export function annotate(report: GateReport, hookFunctions: Record<string, string> = {}): void {
  const d = report.deployment;
  const failures = failedEvents(d);
  for (const { target, event } of failures) {
    const x = event.diagnostics ?? {};
    const serverless = target.type === 'lambda' || target.type === 'ecs';
    const hook = serverless ? (hookFunctions[event.name] ?? x.scriptName) : undefined;
    const title = `${target.id}: ${event.name} failed${x.errorCode ? ` (${x.errorCode})` : ''}${hook ? ` in hook function ${hook}` : ''}`;
    const body = [
      hook ? `hook function: ${hook} (${event.name})` : x.scriptName ? `script: ${x.scriptName}` : '',
      x.message ?? '',
      x.logTail ? `log tail:\n${x.logTail.trimEnd()}` : '',
    ].filter(Boolean);
    // A deployment can succeed with failed instances (within its minimum healthy hosts): a warning.
    const annotation = report.verdict === 'succeeded' ? core.warning : core.error;
    annotation(body.length > 0 ? body.join('\n') : title, { title });
  }
  // A failed continue-after is why the gate stopped the deployment: say that, not CodeDeploy's
  // MANUAL_STOP, which only tells who stopped it.
  const checks = report.actions.filter((action) => action.kind === 'verification-failed');
  for (const check of checks) {
    core.error(check.detail, {
      title: `continue-after failed${check.waitType ? ` in ${check.waitType}` : ''}`,
    });
  }
  if (failures.length === 0 && checks.length === 0 && d.error && report.verdict !== 'succeeded') {
    core.error(`${d.error.code}: ${d.error.message}`, { title: `Deployment ${d.id} ${d.status}` });
  }
  for (const target of d.targets.filter((t) => t.status === 'Skipped')) {
    core.warning(
      `${target.id} was skipped: CodeDeploy did not deploy to it (a failure elsewhere stopped the rollout, or it was not needed)`,
      { title: `${target.id} skipped` },
    );
  }
  const rollback = report.rollback;
  if (rollback && rollback.status !== 'Succeeded') {
    core.warning(`rollback ${rollback.id} ended ${rollback.status}: the group may run a mix of revisions`, {
      title: 'Rollback did not succeed',
    });
  }
}

/** Appspec problems as annotations on the file and line they are about. */
export function annotateProblems(problems: AppspecProblem[], base: string, workspace: string): void {
  for (const problem of problems) {
    const file = relative(workspace, join(base, problem.file));
    const properties = {
      title: `appspec ${problem.code}${problem.path ? ` at ${problem.path}` : ''}`,
      file,
      startLine: problem.line,
      startColumn: problem.column,
    };
    const message = `${problem.message}\nhint: ${problem.hint}`;
    if (problem.severity === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
}

/** The job summary: core's Markdown report (verdict, facts, failures, per-target tables, timeline). */
export async function writeSummary(report: GateReport, extraFacts: string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const markdown = renderMarkdownReport(report);
  await core.summary
    .addRaw(markdown, true)
    .addRaw(extraFacts.length > 0 ? `\n${extraFacts.join('\n')}\n` : '', true)
    .write();
}

/** report.json, report.md and report.xml (JUnit) in `dir`, the report-dir input. */
function reportFilesIn(dir: string): ReportFiles {
  return { json: join(dir, 'report.json'), markdown: join(dir, 'report.md'), junit: join(dir, 'report.xml') };
}

/** Messages name a report by the input that placed it. */
const REPORT_NAMES: ReportFileNames = {
  json: 'input "report-dir": the JSON report',
  markdown: 'input "report-dir": the Markdown report',
  junit: 'input "report-dir": the JUnit report',
  properties: 'input "report-dir": the properties report',
};

/**
 * Checks, before the deployment, that the reports can be written in `dir` (a folder, or one that can
 * be made, holding no device, pipe or folder where a report goes): otherwise exit 2, nothing created.
 */
export function checkReportDir(dir: string): Promise<void> {
  return checkReportFiles(reportFilesIn(dir), REPORT_NAMES);
}

/** report.json, report.md and report.xml in `dir`, each written whole or not at all. */
export function writeReports(report: GateReport, dir: string): Promise<string[]> {
  return writeReportFiles(report, reportFilesIn(dir), REPORT_NAMES);
}
