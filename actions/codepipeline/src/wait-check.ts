import type { DeploymentWaitType } from '@aws-sdk/client-codedeploy';
import { LineMasker, runVerification, secretMasker, type VerificationResult } from '@codedeploy-gate/core';
import type { Logger } from './log.js';

export interface CheckRun extends VerificationResult {
  /** The last lines of its output (stdout and stderr as they came), for a failure message. */
  tail: string;
  /** Values masked in `tail`. */
  masked?: number;
}

/** How much of a check's output a failure message quotes. */
const TAIL_LINES = 30;
const TAIL_CHARS = 2_000;

/**
 * Runs the ContinueAfter command as core's gate runs `--continue-after` (a shell in its own process
 * group, killed with everything it started at the time limit or when `signal` aborts), from the
 * unpacked input artifact, with CODEDEPLOY_GATE_DEPLOYMENT_ID and CODEDEPLOY_GATE_WAIT_TYPE set. Its
 * output goes to the worker's log line by line, credentials masked as core's gate masks them: the
 * tail travels in the continuation token and ends up in the failure message.
 */
export async function runCheck(
  command: string,
  options: {
    cwd: string;
    deploymentId: string;
    waitType: DeploymentWaitType;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    log: Logger;
  },
): Promise<CheckRun> {
  const lines: Array<{ text: string; masked: number }> = [];
  const masker = new LineMasker(secretMasker(process.env));
  const result = await runVerification(command, {
    cwd: options.cwd,
    env: {
      ...process.env,
      CODEDEPLOY_GATE_DEPLOYMENT_ID: options.deploymentId,
      CODEDEPLOY_GATE_WAIT_TYPE: options.waitType,
    },
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onLine: (line, stream) => {
      const masked = masker.line(line);
      lines.push({ text: masked.text, masked: masked.count });
      if (lines.length > TAIL_LINES) lines.shift();
      options.log.info('check output', { waitType: options.waitType, stream, line: masked.text });
    },
  });
  const tail = lines.map((line) => line.text).join('\n');
  const masked = lines.reduce((sum, line) => sum + line.masked, 0);
  return {
    ...result,
    tail: tail.length > TAIL_CHARS ? `…${tail.slice(-TAIL_CHARS)}` : tail,
    ...(masked > 0 ? { masked } : {}),
  };
}
