import { join } from 'node:path';
import * as core from '@actions/core';
import {
  type AwsClientOptions,
  type DeploymentPlan,
  planDeployment,
  type RevisionSource,
  renderMarkdownPlan,
  renderTextPlan,
  type SecretMasker,
  writePlanFiles,
} from '@codedeploy-gate/core';
import type { ActionInputs } from './inputs.js';
import { logStyle } from './log.js';
import { planMarker, upsertPlanComment } from './pr-comment.js';

/**
 * mode: plan — core's plan of the same inputs a deploy would take: printed, written as plan.json
 * (and plan.md) to report-dir or the runner's temp folder, shown in the job summary and, on a pull
 * request with github-token, posted as one comment updated in place. The step fails (exit 1) only on
 * a blocking finding.
 */
export async function runPlan(
  inputs: ActionInputs,
  source: RevisionSource,
  aws: AwsClientOptions,
  masker: SecretMasker,
  signal: AbortSignal,
): Promise<void> {
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  const plan = await planDeployment({
    application: inputs.application,
    deploymentGroup: inputs.deploymentGroup,
    source,
    deploymentConfig: inputs.deploymentConfig,
    queue: inputs.queue,
    autoRollback: inputs.autoRollback,
    ...aws,
    signal,
    onCheck: (detail) => core.info(detail),
  });
  core.info(masker(renderTextPlan(plan, logStyle(process.env))).text);
  const dir = inputs.reportDir ?? process.env.RUNNER_TEMP ?? process.cwd();
  const files = { json: join(dir, 'plan.json'), markdown: join(dir, 'plan.md') };
  await writePlanFiles(plan, files, { json: 'the JSON plan', markdown: 'the Markdown plan' }, masker);
  setPlanOutputs(plan, files.json);
  const markdown = masker(renderMarkdownPlan(plan)).text;
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
  if (inputs.githubToken) {
    const posted = await upsertPlanComment(
      inputs.githubToken,
      planMarker(inputs.application, inputs.deploymentGroup),
      markdown,
    );
    if (posted) core.info(posted);
  }
  if (plan.blocking) {
    core.setFailed(
      plan.findings
        .filter((f) => f.severity === 'blocking')
        .map((f) => f.message)
        .join('\n'),
    );
    process.exitCode = plan.exitCode;
  }
}

function setPlanOutputs(plan: DeploymentPlan, jsonFile: string): void {
  core.setOutput('plan-json', jsonFile);
  const files = plan.files;
  core.setOutput('changed-files', files ? String(files.added + files.removed + files.changed) : '0');
  core.setOutput('blocking', String(plan.blocking));
  core.setOutput('bundle-sha256', plan.revision.sha256 ?? '');
}
