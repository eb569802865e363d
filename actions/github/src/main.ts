import * as core from '@actions/core';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import {
  CancelledError,
  deployAndGate,
  isGateError,
  RevisionInvalidError,
  type RevisionSource,
  renderTextReport,
  resolveRegion,
  type SecretMasker,
  withAwsProfile,
} from '@codedeploy-gate/core';
import { commit, defaultDescription, repository } from './description.js';
import { type ActionInputs, readInputs } from './inputs.js';
import { ActionLog, logStyle } from './log.js';
import {
  annotate,
  annotateProblems,
  checkReportDir,
  setOutputs,
  writeReports,
  writeSummary,
} from './publish.js';
import { runnerMasker } from './secrets.js';
import { markSettled, rememberDeployment } from './state.js';
import { execVerification } from './verification.js';

/**
 * The main step: inputs → core's deployAndGate → outputs, annotations, job summary. The step fails
 * exactly when the gate's verdict is not a success; the exit code is the CLI's (2 bad input, 3 timed
 * out, 4 AWS unreachable, 130/143 cancelled, 1 failed).
 */
export async function runMain(): Promise<void> {
  maskCredentials();
  const masker = runnerMasker();
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const signal = cancellationSignal();
  const log = new ActionLog(masker);
  let inputs: ActionInputs | undefined;
  let revision: RevisionLocation | undefined;
  try {
    inputs = readInputs(workspace);
    const settings = inputs;
    if (settings.reportDir) await checkReportDir(settings.reportDir);
    // The job's AWS_PROFILE (with AWS_CONFIG_FILE or ~/.aws/config) supplies region and credentials.
    const aws = await withAwsProfile(settings.region ? { region: settings.region } : {});
    const region = resolveRegion(aws);
    if (settings.mode === 'plan') {
      // Loaded only in plan mode: a deploy step never compiles it (see loadS3 in core's deploy.ts).
      const { runPlan } = await import('./plan.js');
      await runPlan(settings, revisionSource(settings), { ...aws, region }, masker, signal);
      return;
    }
    const result = await deployAndGate({
      application: settings.application,
      deploymentGroup: settings.deploymentGroup,
      source: revisionSource(settings),
      deploymentConfig: settings.deploymentConfig,
      description: settings.description ?? defaultDescription(),
      fileExistsBehavior: settings.fileExistsBehavior,
      ...(settings.ignoreApplicationStopFailures ? { ignoreApplicationStopFailures: true } : {}),
      autoRollback: settings.autoRollback,
      queue: settings.queue,
      wait: settings.wait,
      timeoutMs: settings.timeoutMs,
      pacing: settings.pacing,
      onTimeout: settings.onTimeout,
      onCancel: settings.onCancel,
      continueAfter: settings.continueAfter,
      verificationCwd: workspace,
      verificationRunner: execVerification,
      masker,
      ...aws,
      region,
      signal,
      onEvent: (event) => {
        log.handle(event);
        if (event.type === 'created') {
          revision = event.revision;
          rememberDeployment(event.deploymentId, region);
          // Not watching is the user's choice: nothing for the post step to stop.
          if (!settings.wait) markSettled();
        }
      },
    });
    markSettled();
    log.close();
    const report = result.report;
    core.info(renderTextReport(report, logStyle(process.env)));
    setOutputs(report, revision, result.pushed?.sha256);
    annotate(report, hookFunctionsOf(settings.revision));
    await writeSummary(report, result.pushed ? [`Bundle SHA-256: \`${result.pushed.sha256}\``] : []);
    if (settings.reportDir) {
      for (const file of await writeReports(report, settings.reportDir)) core.info(`report: ${file}`);
    }
    if (report.exitCode !== 0) {
      core.setFailed(report.summary);
      process.exitCode = report.exitCode;
    }
  } catch (error) {
    log.close();
    fail(error, signal, inputs, workspace, masker);
  }
}

function revisionSource(inputs: ActionInputs): RevisionSource {
  const revision = inputs.revision;
  switch (revision.kind) {
    case 'folder':
      return {
        kind: 'folder',
        dir: revision.dir,
        s3Location: revision.s3Location,
        format: revision.format,
        ...(revision.exclude.length > 0 ? { exclude: revision.exclude } : {}),
      };
    case 's3':
      return { kind: 's3', url: revision.url };
    case 'github':
      return { kind: 'github', repository: repository(), commitId: commit() };
    case 'appspec':
      return { kind: 'appspec', file: revision.file };
    case 'lambda':
    case 'ecs':
      return revision;
  }
}

/** The hook functions the action wrote into the AppSpec it built, by lifecycle event. */
function hookFunctionsOf(revision: ActionInputs['revision']): Record<string, string> {
  if (revision.kind !== 'lambda' && revision.kind !== 'ecs') return {};
  return Object.fromEntries(
    Object.entries(revision.hooks ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** An error before or around the gate (no verdict): said once, as an annotation, with its hint. */
function fail(
  error: unknown,
  signal: AbortSignal,
  inputs: ActionInputs | undefined,
  workspace: string,
  masker: SecretMasker,
): void {
  const cause =
    signal.aborted && !isGateError(error)
      ? new CancelledError(
          'the workflow was cancelled before a deployment was created; nothing was left half-done',
          signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM',
          { cause: error },
        )
      : error;
  if (cause instanceof RevisionInvalidError && inputs?.revision.kind === 'folder') {
    annotateProblems(cause.validation.problems, inputs.revision.dir, workspace);
  }
  // AWS error text and a command's own words can quote a credential: masked like the reports.
  if (isGateError(cause)) {
    core.setFailed(masker(`${cause.message}${cause.hint ? `\nhint: ${cause.hint}` : ''}`).text);
    process.exitCode = cause.exitCode;
    return;
  }
  core.setFailed(masker(`unexpected failure: ${(cause as Error)?.message ?? String(cause)}`).text);
  core.debug(masker(String((cause as Error)?.stack)).text);
}

/**
 * A cancelled run gets SIGINT, then SIGTERM 7.5 s later, then SIGKILL. The first signal starts the
 * `on-cancel` policy; later ones are ignored so the stop can finish (the post step covers the rest).
 */
function cancellationSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) return;
      core.warning(`${name}: the workflow is being cancelled; applying on-cancel to the deployment`);
      controller.abort(name);
    });
  }
  return controller.signal;
}

/**
 * configure-aws-credentials masks the keys it sets; keys set another way (env from secrets is masked
 * too, but an exported value may not be) are registered here, so no log line can show them.
 */
function maskCredentials(): void {
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']) {
    const value = process.env[name];
    if (value) core.setSecret(value);
  }
}
