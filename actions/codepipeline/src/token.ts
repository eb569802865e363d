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
    }
  /** Creating the deployment failed for a passing reason (throttling, network): try again. */
  | { v: 1; kind: 'retry-start'; attempt: number };

/** CodePipeline's limit for a continuation token. */
const TOKEN_LIMIT = 2048;

export function encodeToken(state: ContinuationState): string {
  const token = JSON.stringify(state);
  if (token.length > TOKEN_LIMIT) throw new Error(`continuation token of ${token.length} characters`);
  return token;
}

/** The state in a token, or undefined for a token this worker did not write (or an older format). */
export function decodeToken(token: string): ContinuationState | undefined {
  try {
    const state = JSON.parse(token) as ContinuationState;
    if (state?.v !== 1) return undefined;
    if (state.kind === 'watch' && typeof state.deploymentId === 'string' && Number.isFinite(state.deadline))
      return state;
    if (state.kind === 'retry-start' && Number.isInteger(state.attempt)) return state;
    return undefined;
  } catch {
    return undefined;
  }
}
