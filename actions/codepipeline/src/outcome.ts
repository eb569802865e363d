import type { ExecutionDetails, FailureDetails, FailureType } from '@aws-sdk/client-codepipeline';
import {
  countersText,
  type DeploymentLook,
  type DeploymentReport,
  isGateError,
  PLAIN_TEXT,
  renderTextReport,
} from '@codedeploy-gate/core';
import { ArtifactUnavailableError } from './artifact.js';
import type { ContinuationState } from './token.js';

/** How a job ends: a follow-up job with a token, the action's success, or its failure. */
export type JobOutcome =
  | { kind: 'continue'; state: ContinuationState; details: ExecutionDetails }
  | { kind: 'succeeded'; details: ExecutionDetails; outputVariables: Record<string, string> }
  | { kind: 'failed'; failure: FailureDetails };

/** CodePipeline's limits: summary 2048 characters, failure message 5000. */
const SUMMARY_LIMIT = 2048;
const MESSAGE_LIMIT = 5000;

/** What the console shows while the deployment runs: its counters, and how far it is. */
export function runningDetails(
  deployment: DeploymentReport,
  info: Parameters<typeof countersText>[0],
): ExecutionDetails {
  return {
    externalExecutionId: deployment.id,
    summary: clip(`${deployment.id} ${countersText(info)}`, SUMMARY_LIMIT),
    percentComplete: percentComplete(deployment),
  };
}

/** Finished targets (succeeded, failed or skipped) over all targets; 0 before any are known. */
export function percentComplete(deployment: DeploymentReport): number {
  const o = deployment.overview;
  const total = o.pending + o.inProgress + o.succeeded + o.failed + o.skipped + o.ready;
  if (total === 0) return 0;
  return Math.min(99, Math.floor((100 * (o.succeeded + o.failed + o.skipped)) / total));
}

/** The action's result once the deployment ended. */
export function endedOutcome(
  look: Extract<DeploymentLook, { state: 'ended' }>,
  timedOutAfter?: number,
): JobOutcome {
  const report = look.report;
  const d = report.deployment;
  if (report.verdict === 'succeeded' && timedOutAfter === undefined) {
    return {
      kind: 'succeeded',
      details: {
        externalExecutionId: d.id,
        summary: clip(report.summary, SUMMARY_LIMIT),
        percentComplete: 100,
      },
      outputVariables: { DeploymentId: d.id, Status: d.status, DeploymentUrl: d.consoleUrl },
    };
  }
  const headline =
    timedOutAfter !== undefined
      ? `Timed out after ${timedOutAfter} minutes (TimeoutMinutes); the deployment ended ${d.status}. ${report.summary}`
      : report.summary;
  // The headline first (the console shows the start), then the evidence: failed targets, events,
  // error codes and log tails, the rollback, the console link.
  return {
    kind: 'failed',
    failure: {
      type: 'JobFailed',
      externalExecutionId: d.id,
      message: clip(`${headline}\n\n${evidence(renderTextReport(report, PLAIN_TEXT))}`, MESSAGE_LIMIT),
    },
  };
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
      message: clip(message, MESSAGE_LIMIT),
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

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
