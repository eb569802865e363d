import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ExecutionDetails, FailureDetails, FailureType } from '@aws-sdk/client-codepipeline';
import {
  countersText,
  type DeploymentLook,
  type DeploymentReport,
  ExitCode,
  type GateReport,
  isGateError,
  maskedNote,
  maskSecrets,
  PLAIN_TEXT,
  renderTextReport,
  summarize,
  type TargetReport,
  trafficSummary,
} from '@codedeploy-gate/core';
import { ArtifactUnavailableError } from './artifact.js';
import type { CheckRecord, ContinuationState } from './token.js';

/** How a job ends: a follow-up job with a token, the action's success, or its failure. */
export type JobOutcome =
  | { kind: 'continue'; state: ContinuationState; details: ExecutionDetails }
  | { kind: 'succeeded'; details: ExecutionDetails; outputVariables: Record<string, string> }
  | { kind: 'failed'; failure: FailureDetails };

/** CodePipeline's limits: summary 2048 characters, failure message 5000. */
const SUMMARY_LIMIT = 2048;
const MESSAGE_LIMIT = 5000;

/**
 * What the console shows while the deployment runs. EC2/on-premises: the counters, and the share of
 * targets done as percent complete. Lambda and ECS (whose counters stay at one target in progress
 * while traffic shifts): where production traffic is, the step of the configuration's routing and the
 * lifecycle event under way (AfterAllowTraffic: the verification hook), with the traffic share as
 * percent complete. `note` adds what the worker is doing about a blue/green wait.
 */
export function runningDetails(
  deployment: DeploymentReport,
  info: DeploymentInfo,
  note?: string,
): ExecutionDetails {
  const target = shiftingTarget(deployment);
  if (target === undefined) {
    return {
      externalExecutionId: deployment.id,
      summary: fit(
        [`${deployment.id} ${countersText(info)}`, note].filter(Boolean).join(' · '),
        SUMMARY_LIMIT,
      ),
      percentComplete: percentComplete(deployment),
    };
  }
  const traffic = trafficSummary(target);
  const now = target.events.find((event) => event.status === 'InProgress')?.name;
  const parts = [
    `${deployment.id} ${deployment.status}`,
    traffic === undefined ? target.id : `${target.id} traffic: ${traffic}`,
    now === undefined ? undefined : `now ${now}`,
    note,
  ];
  return {
    externalExecutionId: deployment.id,
    summary: fit(parts.filter(Boolean).join(' · '), SUMMARY_LIMIT),
    percentComplete: Math.min(99, Math.floor(target.trafficShift?.percent ?? 0)),
  };
}

/** The Lambda alias or ECS service a deployment shifts traffic on (it has one target). */
function shiftingTarget(deployment: DeploymentReport): TargetReport | undefined {
  return deployment.targets.find((target) => target.type === 'lambda' || target.type === 'ecs');
}

/** Finished targets (succeeded, failed or skipped) over all targets; 0 before any are known. */
export function percentComplete(deployment: DeploymentReport): number {
  const o = deployment.overview;
  const total = o.pending + o.inProgress + o.succeeded + o.failed + o.skipped + o.ready;
  if (total === 0) return 0;
  return Math.min(99, Math.floor((100 * (o.succeeded + o.failed + o.skipped)) / total));
}

export interface EndedContext {
  /** Set when the worker's timeout policy stopped the deployment. */
  timedOutAfter?: number | undefined;
  /** The ContinueAfter runs, and the command they ran. */
  checks?: CheckRecord[] | undefined;
  continueAfter?: string | undefined;
}

/**
 * The action's result once the deployment ended. A failed ContinueAfter fails the stage even when
 * CodeDeploy completed the deployment (the check failed after the wait had ended, and StopDeployment
 * came too late): the user's own verification outvotes CodeDeploy's success, as in core's gate.
 */
export function endedOutcome(
  look: Extract<DeploymentLook, { state: 'ended' }>,
  context: EndedContext = {},
): JobOutcome {
  const { timedOutAfter, checks = [] } = context;
  const command = `\`${context.continueAfter ?? 'ContinueAfter'}\``;
  const failedCheck = checks.find((check) => check.result === 'failed');
  const tooLate = failedCheck !== undefined && look.report.verdict === 'succeeded';
  const report = tooLate ? lateFailure(look.report, failedCheck, command) : look.report;
  const d = report.deployment;
  if (report.verdict === 'succeeded' && timedOutAfter === undefined) {
    // Where traffic ended (a failure's report shows it, with the rollback's, in the evidence).
    const target = shiftingTarget(d);
    const traffic = target && trafficSummary(target);
    const trafficLine = traffic === undefined ? undefined : `${target?.id} traffic: ${traffic}.`;
    const passed = checks.filter((check) => check.result !== 'failed').map((check) => check.wait);
    const checked =
      passed.length > 0 ? `ContinueAfter ${command} passed in ${passed.join(' and ')}.` : undefined;
    return {
      kind: 'succeeded',
      details: {
        externalExecutionId: d.id,
        summary: fit([report.summary, trafficLine, checked].filter(Boolean).join(' '), SUMMARY_LIMIT),
        percentComplete: 100,
      },
      outputVariables: {
        DeploymentId: d.id,
        Status: d.status,
        ...(d.consoleUrl ? { DeploymentUrl: d.consoleUrl } : {}),
      },
    };
  }
  const lines: string[] = [];
  if (tooLate) {
    // Core's summary says it: succeeded in CodeDeploy, but the check failed too late to stop it.
    lines.push(
      report.summary,
      'The new version stays in production: redeploy the previous revision to take it back.',
    );
  } else {
    if (failedCheck) {
      lines.push(
        `ContinueAfter ${checkFailure(failedCheck, command)} in ${failedCheck.wait}: the deployment was stopped with rollback.`,
      );
    }
    lines.push(
      timedOutAfter !== undefined
        ? `Timed out after ${timedOutAfter} minutes (TimeoutMinutes); the deployment ended ${d.status}. ${report.summary}`
        : report.summary,
    );
  }
  const headline = lines.join(' ');
  const masked = failedCheck?.masked ? `; ${maskedNote(failedCheck.masked)}` : '';
  const output = failedCheck?.tail
    ? `\n\nContinueAfter output (last lines${masked}):\n${failedCheck.tail
        .split('\n')
        .map((line) => `| ${line}`)
        .join('\n')}`
    : '';
  // The headline first (the console shows the start), then the evidence: the check's output, failed
  // targets, events, error codes and log tails, the rollback, the console link.
  return {
    kind: 'failed',
    failure: {
      type: 'JobFailed',
      externalExecutionId: d.id,
      message: fit(
        `${headline}${output}\n\n${evidence(renderTextReport(report, PLAIN_TEXT))}`,
        MESSAGE_LIMIT,
      ),
    },
  };
}

/** `\`cmd\` failed (exit 3)`, `\`cmd\` was killed at its time limit (...)`, `\`cmd\` could not run`. */
function checkFailure(check: CheckRecord, command: string): string {
  const how =
    check.killedBy === 'timeout'
      ? 'was killed at its time limit (--check-timeout, or TimeoutMinutes running out)'
      : typeof check.exitCode === 'number'
        ? `failed (exit ${check.exitCode})`
        : 'could not run';
  return `${command} ${how}`;
}

/**
 * A deployment CodeDeploy completed although ContinueAfter failed in one of its waits: the report
 * with core's verdict for that case (failed) and core's summary, from the check recorded as core's
 * gate records it.
 */
function lateFailure(report: GateReport, check: CheckRecord, command: string): GateReport {
  const failed: GateReport = {
    ...report,
    verdict: 'failed',
    exitCode: ExitCode.DeploymentFailed,
    actions: [
      ...report.actions,
      {
        at: new Date(check.at).toISOString(),
        kind: 'verification-failed',
        detail: `${checkFailure(check, command)} in ${check.wait}: stopping with rollback`,
        waitType: check.wait,
      },
    ],
  };
  return { ...failed, summary: summarize(failed) };
}

/** An error before or around the deployment, as the failure CodePipeline shows. */
export function errorOutcome(error: unknown, externalExecutionId?: string): JobOutcome {
  const message = isGateError(error)
    ? `${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`
    : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  return {
    kind: 'failed',
    failure: {
      type: failureType(error),
      message: fit(message, MESSAGE_LIMIT),
      ...(externalExecutionId ? { externalExecutionId } : {}),
    },
  };
}

export function failureType(error: unknown): FailureType {
  if (error instanceof ArtifactUnavailableError) return 'RevisionUnavailable';
  const code = (error as { code?: string }).code ?? (error as Error)?.name ?? '';
  if (/AccessDenied|Unauthorized|NotAuthorized|Forbidden/i.test(code)) return 'PermissionError';
  if (isGateError(error) && error.exitCode === 2) return 'ConfigurationError';
  if (isGateError(error) && error.exitCode === 4) return 'SystemUnavailable';
  return 'JobFailed';
}

/** The text report without its last line, the verdict: the headline already says it. */
function evidence(text: string): string {
  return text.replace(/\n[✓✗] [^\n]*$/, '');
}

/**
 * Masked as core masks reports (an AWS error, a command line, a check's output can quote a
 * credential), then cut to CodePipeline's limit: masking first, so a cut never leaves half a token
 * that no longer looks like one.
 */
function fit(text: string, limit: number): string {
  const masked = maskSecrets(text, process.env).text;
  return masked.length <= limit ? masked : `${masked.slice(0, limit - 1)}…`;
}

/**
 * The outcome as CodePipeline gets it: summary and message masked, also those a job wrote itself
 * (they quote the ContinueAfter command and AWS errors).
 */
export function maskedOutcome(outcome: JobOutcome): JobOutcome {
  if (outcome.kind === 'failed') {
    const message = outcome.failure.message;
    return message === undefined
      ? outcome
      : { ...outcome, failure: { ...outcome.failure, message: fit(message, MESSAGE_LIMIT) } };
  }
  const summary = outcome.details.summary;
  return summary === undefined
    ? outcome
    : { ...outcome, details: { ...outcome.details, summary: fit(summary, SUMMARY_LIMIT) } };
}
