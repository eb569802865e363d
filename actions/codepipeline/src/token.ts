import type { DeploymentWaitType } from '@aws-sdk/client-codedeploy';
import type { StopPolicy } from '@codedeploy-gate/core';

/**
 * What a follow-up job needs to carry on, in the continuation token (CodePipeline hands it back on
 * the next job, to whichever worker polls it). Self-contained: no worker keeps state between jobs.
 */
export type ContinuationState =
  /** The deployment runs; look again. `deadline` is epoch ms; `timedOut` once the timeout policy ran. */
  | {
      v: 1;
      kind: 'watch';
      deploymentId: string;
      deadline: number;
      timeoutMinutes: number;
      onTimeout: StopPolicy;
      timedOut?: boolean;
      /** The next job runs ContinueAfter for this wait (this one said so on the console first). */
      verify?: DeploymentWaitType;
      /** The blue/green waits ContinueAfter was run in, and how it went. */
      checks?: CheckRecord[];
    }
  /** Creating the deployment failed for a passing reason (throttling, network): try again. */
  | { v: 1; kind: 'retry-start'; attempt: number };

/** A ContinueAfter run in one wait, compactly (it travels in the token). */
export interface CheckRecord {
  wait: DeploymentWaitType;
  /** Epoch ms when it ended. */
  at: number;
  /** passed: ContinueDeployment sent (`late`: the wait had already ended); failed: stopped with rollback. */
  result: 'passed' | 'late' | 'failed';
  exitCode?: number | null;
  killedBy?: 'timeout';
  /** The end of its output, for the failure message (credentials masked). */
  tail?: string;
  /** Values masked in `tail`. */
  masked?: number;
}

/** CodePipeline's limit for a continuation token. */
const TOKEN_LIMIT = 2048;

export function encodeToken(state: ContinuationState): string {
  const token = JSON.stringify(state);
  if (token.length <= TOKEN_LIMIT) return token;
  // Only a failed check's output tail can grow: keep as much of its end as fits.
  const tailed = state.kind === 'watch' ? state.checks?.find((check) => check.tail) : undefined;
  if (state.kind !== 'watch' || tailed?.tail === undefined) {
    throw new Error(`continuation token of ${token.length} characters`);
  }
  const tail = tailed.tail;
  const withTail = (keep: number) =>
    JSON.stringify({
      ...state,
      checks: state.checks?.map((check) => {
        if (check !== tailed) return check;
        const { tail: _dropped, ...rest } = check;
        return keep > 0 ? { ...rest, tail: `…${tail.slice(-keep)}` } : rest;
      }),
    });
  let fits = 0;
  let over = tail.length;
  while (over - fits > 1) {
    const middle = Math.floor((fits + over) / 2);
    if (withTail(middle).length <= TOKEN_LIMIT) fits = middle;
    else over = middle;
  }
  const trimmed = withTail(fits);
  if (trimmed.length > TOKEN_LIMIT) throw new Error(`continuation token of ${trimmed.length} characters`);
  return trimmed;
}

/** The state in a token, or undefined for a token this worker did not write (or an older format). */
export function decodeToken(token: string): ContinuationState | undefined {
  try {
    const state = JSON.parse(token) as ContinuationState;
    if (state?.v !== 1) return undefined;
    if (
      state.kind === 'watch' &&
      typeof state.deploymentId === 'string' &&
      Number.isFinite(state.deadline) &&
      (state.checks === undefined || Array.isArray(state.checks))
    )
      return state;
    if (state.kind === 'retry-start' && Number.isInteger(state.attempt)) return state;
    return undefined;
  } catch {
    return undefined;
  }
}
