/**
 * How long a cancelled gate may take, by default, to stop the deployment, take a last look and leave
 * its reports. Jenkins kills an aborted `sh` step 5 s after its SIGTERM (SoftKillWaitSeconds) and GitHub
 * about 7.5 s after its SIGINT: 4 s leaves a second for the process to exit and for slow disks.
 */
export const DEFAULT_CANCEL_BUDGET_MS = 4_000;

/** The parts of a cancel budget, in milliseconds from the cancellation. */
export interface CancelDeadlines {
  /** StopDeployment (and the group lookup that chooses stop or rollback) must answer by then. */
  stopMs: number;
  /** The last look at the deployment (and its rollback) must end by then; the rest is for reports. */
  lookMs: number;
}

/**
 * Splits a cancel budget: the stop comes first and gets three quarters, since a deployment left running
 * is the one harm a slow answer can do; the last look gets up to nine tenths, so the reports, written
 * from what is known by then, always have the last tenth.
 */
export function cancelDeadlines(budgetMs: number): CancelDeadlines {
  return { stopMs: Math.round(budgetMs * 0.75), lookMs: Math.round(budgetMs * 0.9) };
}

/** Timeout signals for each part of a cancel budget that starts now. */
export function cancelSignals(budgetMs: number): { stop: AbortSignal; look: AbortSignal } {
  const { stopMs, lookMs } = cancelDeadlines(budgetMs);
  return { stop: AbortSignal.timeout(stopMs), look: AbortSignal.timeout(lookMs) };
}
