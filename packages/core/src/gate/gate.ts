import {
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentWaitType,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { hasAwsConsole } from '../aws/console-link.js';
import { AwsError, ExitCode } from '../errors/index.js';
import { buildDeploymentReport, failedEvents, type ReportContext } from '../report/build.js';
import { formatDuration } from '../report/format.js';
import { ReportMasking } from '../report/masking.js';
import {
  type DeploymentReport,
  type EcsRevisionReport,
  type GateAction,
  type GateReport,
  type LambdaRevisionReport,
  REPORT_SCHEMA,
  type Verdict,
} from '../report/model.js';
import { LineMasker, type SecretMasker, secretMasker } from '../secrets/index.js';
import { cancelSignals, DEFAULT_CANCEL_BUDGET_MS } from './cancel-budget.js';
import { type Clock, realClock } from './clock.js';
import type { PacingSettings } from './pacing.js';
import { getDeployment, listTargets } from './reads.js';
import { stopDeployment } from './stop.js';
import { TrafficRoutingLookup } from './traffic-routing.js';
import { runVerification, type VerificationRunner } from './verification.js';
import { CONTINUE_MEANING, continueDeployment, WAIT_MEANING, waitTypeOf } from './waits.js';
import { type DeploymentSnapshot, newWatchStats, type WatchOutcome, watchDeployment } from './watch.js';

/** What to do with a deployment the gate stops watching early (timeout, cancellation). */
export type StopPolicy = 'stop' | 'rollback' | 'leave';

export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export type GateEvent =
  /** Something changed; `role` says whether it is the gated deployment or its rollback. */
  | { type: 'update'; role: 'deployment' | 'rollback'; snapshot: DeploymentSnapshot }
  /** The gate did something (stopped, continued, ran the verification...). */
  | { type: 'action'; action: GateAction }
  /** A line of the `--continue-after` command's output, credentials masked. */
  | { type: 'verification-output'; line: string; stream: 'stdout' | 'stderr' }
  /** A poll failed (throttled, network) and is retried after a pause. */
  | { type: 'poll-error'; error: AwsError; retryInMs: number }
  /**
   * The deployment waits in a blue/green wait: the gate runs the `--continue-after` check (`detail`
   * says which wait and what the check verifies), or, without one, waits for someone else to continue.
   */
  | { type: 'waiting'; detail: string; waitType?: DeploymentWaitType };

/** The Lambda or ECS revision `deployAndGate` built, for the report. */
export interface RevisionDetails {
  lambda?: LambdaRevisionReport | undefined;
  ecs?: EcsRevisionReport | undefined;
}

export interface GateOptions {
  client: CodeDeployClient;
  deploymentId: string;
  /** For console links. */
  region: string;
  signal?: AbortSignal | undefined;
  /** Hard deadline for the whole watch. Default 30 minutes. */
  timeoutMs?: number | undefined;
  /** Default: roll back when the group has a successful deployment to return to, else stop. */
  onTimeout?: StopPolicy | undefined;
  /** Default: as onTimeout. */
  onCancel?: StopPolicy | undefined;
  /**
   * After a cancellation, how long the stop, the last look and the report may take together (default
   * 4 s, inside Jenkins' 5 s between SIGTERM and SIGKILL). The stop goes first with its own timeout.
   */
  cancelBudgetMs?: number | undefined;
  /**
   * A shell command verifying a deployment in a blue/green wait before continuing it: run once in
   * READY_WAIT (replacement ready, before production traffic) and once in TERMINATION_WAIT (traffic
   * shifted, original kept), with CODEDEPLOY_GATE_WAIT_TYPE saying which. A failure stops the deployment
   * with rollback.
   */
  continueAfter?: string | undefined;
  /** Where and with what environment the verification runs. */
  verificationCwd?: string | undefined;
  verificationEnv?: NodeJS.ProcessEnv | undefined;
  /**
   * Runs the verification command; default `runVerification` (a shell in its own process group). A
   * front end may bring its host's runner (the GitHub Action uses @actions/exec).
   */
  verificationRunner?: VerificationRunner | undefined;
  pacing?: Partial<PacingSettings> | undefined;
  /** Refresh unfinished targets on every poll (for a live terminal display). */
  liveTargets?: boolean | undefined;
  /** Watch the rollback deployment to its end when the service starts one. Default true. */
  followRollback?: boolean | undefined;
  /** What happened before the watch (created, adopted, queued), to appear in the report. */
  actions?: GateAction[] | undefined;
  /** The Lambda or ECS revision built for this deployment, for the report (`deployAndGate` sets it). */
  revisionDetails?: RevisionDetails | undefined;
  onEvent?: ((event: GateEvent) => void) | undefined;
  clock?: Clock | undefined;
  /**
   * Masks credentials in what the gate reports and shows (log tails, messages, the check's output);
   * default `secretMasker(process.env)`. A front end passes its own to also tell its host what it found.
   */
  masker?: SecretMasker | undefined;
}

export interface GateResult {
  report: GateReport;
}

/**
 * Watches a deployment to its end and answers the pipeline's question — may it go on? — with a
 * report that carries the evidence. Never throws for a deployment that failed, timed out or was
 * cancelled: those are verdicts in the report (with their exit codes). Throws only when the gate could
 * not do its job (AWS unreachable, access denied).
 */
export async function gateDeployment(options: GateOptions): Promise<GateResult> {
  const { client, deploymentId, signal } = options;
  const clock = options.clock ?? realClock;
  const emit = options.onEvent ?? (() => {});
  const stats = newWatchStats();
  const masker = options.masker ?? secretMasker(process.env);
  // One tally for everything the report says: the deployment, its rollback and the actions.
  const masking = new ReportMasking(masker);
  const actions: GateAction[] = (options.actions ?? []).map((action) => masking.action(action));
  const act = (kind: GateAction['kind'], detail: string, waitType?: DeploymentWaitType) => {
    const action: GateAction = {
      at: new Date(clock.now()).toISOString(),
      kind,
      detail: masking.text(detail),
      ...(waitType ? { waitType } : {}),
    };
    actions.push(action);
    emit({ type: 'action', action });
  };
  const routing = new TrafficRoutingLookup(client, signal);
  const awsConsole = await hasAwsConsole(client);
  /** The report of the gated deployment (with what deploy built) or of its rollback. */
  const reportOf = async (snapshot: DeploymentSnapshot, role: 'deployment' | 'rollback') => {
    const context: ReportContext = {
      trafficRouting: snapshot.trafficRouting ?? (await routing.of(snapshot.deployment)),
      ...(role === 'deployment' ? options.revisionDetails : {}),
      masking,
      awsConsole,
    };
    return buildDeploymentReport(snapshot.deployment, snapshot.targets, options.region, context);
  };
  const deadline = clock.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const watchWith = (id: string, role: 'deployment' | 'rollback', until?: (d: DeploymentInfo) => boolean) =>
    watchDeployment(client, id, {
      signal,
      deadline,
      pacing: options.pacing,
      liveTargets: options.liveTargets,
      stats,
      clock,
      until,
      onUpdate: async (snapshot) => {
        snapshot.trafficRouting = await routing.of(snapshot.deployment);
        emit({ type: 'update', role, snapshot });
      },
      onPollError: (error, retryInMs) => emit({ type: 'poll-error', error, retryInMs }),
    }).catch((error: unknown) => {
      throw lostContact(id, error);
    });

  // Each wait is verified (or announced) once: a deployment still reads Ready for a poll or two after
  // ContinueDeployment, and a blue/green deployment may wait twice (READY_WAIT, then TERMINATION_WAIT).
  const handled = new Set<DeploymentWaitType>();
  const pendingWait = (d: DeploymentInfo) => {
    const waitType = waitTypeOf(d);
    return waitType !== undefined && !handled.has(waitType);
  };
  let outcome: WatchOutcome;
  for (;;) {
    outcome = await watchWith(deploymentId, 'deployment', pendingWait);
    if (outcome.state !== 'condition') break;
    const waitType = waitTypeOf(outcome.snapshot.deployment) as DeploymentWaitType;
    handled.add(waitType);
    if (options.continueAfter === undefined) {
      emit({
        type: 'waiting',
        waitType,
        detail: `deployment ${deploymentId} waits in ${waitType} (${WAIT_MEANING[waitType]}) for ContinueDeployment; pass --continue-after CMD to verify and continue it`,
      });
      continue; // Nothing to run: keep watching for the end (or the deadline).
    }
    const passed = await verify(options, waitType, deadline - clock.now(), emit, masker);
    if (signal?.aborted) {
      outcome = { state: 'aborted', snapshot: outcome.snapshot };
      break;
    }
    if (passed) {
      act('verification-passed', `\`${options.continueAfter}\` passed in ${waitType}`, waitType);
      const continued = await continueDeployment(client, deploymentId, waitType);
      act(
        'continued',
        continued
          ? `ContinueDeployment ${waitType}: ${CONTINUE_MEANING[waitType]}`
          : `ContinueDeployment ${waitType} not needed: the wait had already ended`,
        waitType,
      );
    } else {
      act(
        'verification-failed',
        `\`${options.continueAfter}\` failed in ${waitType}: stopping with rollback`,
        waitType,
      );
      const stop = await stopDeployment(client, deploymentId, { rollback: true });
      act(
        'stopped',
        `StopDeployment with rollback: ${stop.status}${stop.message ? ` (${stop.message})` : ''}`,
      );
    }
  }

  let verdict: Verdict;
  let final: DeploymentSnapshot | undefined = outcome.snapshot;
  /** Set after a cancellation: what is left of its budget for the last reads. */
  let afterStop: { stop: AbortSignal; look: AbortSignal } | undefined;
  let exitCode: number;
  if (outcome.state === 'ended') {
    const status = outcome.snapshot.deployment.status;
    verdict = status === 'Succeeded' ? 'succeeded' : status === 'Stopped' ? 'stopped' : 'failed';
    // A check that failed after the wait had already ended (the stop came too late) still fails the
    // stage: CodeDeploy's success does not outvote the user's own verification.
    if (verdict === 'succeeded' && actions.some((a) => a.kind === 'verification-failed')) verdict = 'failed';
    exitCode = verdict === 'succeeded' ? ExitCode.Success : ExitCode.DeploymentFailed;
  } else if (outcome.state === 'aborted') {
    verdict = 'cancelled';
    exitCode = signal?.reason === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
    // The signal is spent: a short fresh budget, stop first, so the host's kill comes after the stop.
    afterStop = cancelSignals(options.cancelBudgetMs ?? DEFAULT_CANCEL_BUDGET_MS);
    final = await applyPolicy('cancel', options.onCancel, final, afterStop);
  } else {
    verdict = 'timed-out';
    exitCode = ExitCode.GateTimedOut;
    const minute = AbortSignal.timeout(60_000);
    final = await applyPolicy('timeout', options.onTimeout, final, { stop: minute, look: minute });
  }
  if (!final) {
    const deployment = await getDeployment(client, deploymentId, { signal: afterStop?.look });
    final = { deployment, targets: [], at: clock.now() };
  }

  let rollback: DeploymentReport | undefined;
  const rollbackId = final.deployment.rollbackInfo?.rollbackDeploymentId;
  if (rollbackId) rollback = await describeRollback(rollbackId, verdict);

  const deployment = await reportOf(final, 'deployment');
  const report: GateReport = {
    schema: REPORT_SCHEMA,
    verdict,
    exitCode,
    summary: '',
    region: options.region,
    generatedAt: new Date(clock.now()).toISOString(),
    deployment,
    ...(rollback ? { rollback } : {}),
    actions,
    watch: stats,
    maskedValues: masking.count,
  };
  report.summary = summarize(report, signal?.reason);
  return { report };

  /** Stops (or leaves) the deployment per policy and takes a last look at it. */
  async function applyPolicy(
    why: 'cancel' | 'timeout',
    policy: StopPolicy | undefined,
    last: DeploymentSnapshot | undefined,
    budget: { stop: AbortSignal; look: AbortSignal },
  ): Promise<DeploymentSnapshot | undefined> {
    const chosen = policy ?? (await defaultPolicy(last?.deployment, budget.stop));
    const reason = why === 'cancel' ? `cancelled by ${signal?.reason ?? 'the caller'}` : 'gate timed out';
    if (chosen === 'leave') {
      act('left-running', `${reason}: deployment ${deploymentId} left running (policy leave)`);
    } else {
      try {
        const stop = await stopDeployment(client, deploymentId, {
          rollback: chosen === 'rollback',
          signal: budget.stop,
        });
        act(
          'stopped',
          `${reason}: StopDeployment${chosen === 'rollback' ? ' with rollback' : ''}: ${stop.status}${stop.message ? ` (${stop.message})` : ''}`,
        );
      } catch (error) {
        act('stopped', `${reason}: stopping failed: ${(error as Error).message}`);
      }
    }
    // A last look, so the report shows Stopped and the rollback id rather than the state before.
    try {
      const deployment = await getDeployment(client, deploymentId, { signal: budget.look });
      const targets = await listTargets(client, deploymentId, { signal: budget.look });
      return { deployment, targets, at: clock.now() };
    } catch {
      return last;
    }
  }

  async function defaultPolicy(
    deployment: DeploymentInfo | undefined,
    budget: AbortSignal,
  ): Promise<StopPolicy> {
    if (!deployment?.applicationName || !deployment.deploymentGroupName) return 'stop';
    try {
      const { deploymentGroupInfo } = await client.send(
        new GetDeploymentGroupCommand({
          applicationName: deployment.applicationName,
          deploymentGroupName: deployment.deploymentGroupName,
        }),
        { abortSignal: budget },
      );
      const last = deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId;
      return last && last !== deploymentId ? 'rollback' : 'stop';
    } catch {
      return 'stop';
    }
  }

  /** The rollback deployment, watched to its end when the gate still has time and was not cancelled. */
  async function describeRollback(id: string, verdictSoFar: Verdict): Promise<DeploymentReport | undefined> {
    try {
      if (options.followRollback !== false && verdictSoFar !== 'cancelled' && verdictSoFar !== 'timed-out') {
        const followed = await watchWith(id, 'rollback');
        if (followed.snapshot) return await reportOf(followed.snapshot, 'rollback');
      }
      const budget = afterStop?.look ?? AbortSignal.timeout(10_000);
      const info = await getDeployment(client, id, { signal: budget });
      const targets = await listTargets(client, id, { signal: budget });
      return await reportOf({ deployment: info, targets, at: clock.now() }, 'rollback');
    } catch {
      return undefined;
    }
  }
}

/** The watch failed for good: say which deployment may still be running and how to pick it up. */
function lostContact(deploymentId: string, error: unknown): unknown {
  if (!(error instanceof AwsError)) return error;
  return new AwsError(
    `stopped watching deployment ${deploymentId}, which may still be running: ${error.message}`,
    {
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      hint: `${error.hint ? `${error.hint} ` : ''}Check it with \`codedeploy-gate status ${deploymentId}\`, or gate on it again with \`codedeploy-gate wait ${deploymentId}\`.`,
      cause: error,
    },
  );
}

/** What a check run in each wait is there to verify. */
const CHECK_PURPOSE: Record<DeploymentWaitType, string> = {
  READY_WAIT: 'the new version before production traffic reaches it',
  TERMINATION_WAIT: 'the new version under production traffic, while the original can still take it back',
};

async function verify(
  options: GateOptions,
  waitType: DeploymentWaitType,
  remainingMs: number,
  emit: (event: GateEvent) => void,
  masker: SecretMasker,
): Promise<boolean> {
  const command = options.continueAfter ?? '';
  const lines = new LineMasker(masker);
  emit({
    type: 'waiting',
    waitType,
    detail: masker(
      `deployment ${options.deploymentId} is in ${waitType} (${WAIT_MEANING[waitType]}): running \`${command}\` to verify ${CHECK_PURPOSE[waitType]}`,
    ).text,
  });
  const run = options.verificationRunner ?? runVerification;
  const result = await run(command, {
    cwd: options.verificationCwd,
    env: {
      ...(options.verificationEnv ?? process.env),
      CODEDEPLOY_GATE_DEPLOYMENT_ID: options.deploymentId,
      CODEDEPLOY_GATE_WAIT_TYPE: waitType,
    },
    signal: options.signal,
    timeoutMs: Math.max(1_000, remainingMs),
    onLine: (line, stream) => emit({ type: 'verification-output', line: lines.line(line).text, stream }),
  });
  return result.ok;
}

/** The one sentence people read first: what happened, where, and (on failure) why. */
export function summarize(report: GateReport, signalReason?: unknown): string {
  const d = report.deployment;
  const where = `${d.application}/${d.deploymentGroup}`;
  const total = Object.values(d.overview).reduce((sum, n) => sum + n, 0);
  const took = d.durationMs !== undefined ? ` in ${formatDuration(d.durationMs)}` : '';
  const failure = failedEvents(d)[0];
  const why = failure
    ? `; ${failure.target.id} failed in ${failure.event.name}${failure.event.diagnostics?.errorCode ? ` (${failure.event.diagnostics.errorCode})` : ''}`
    : '';
  const error = d.error ? `: ${d.error.code}: ${d.error.message}` : '';
  const rollback = report.rollback
    ? `; rolled back by ${report.rollback.id} (${report.rollback.status})`
    : d.rollbackMessage
      ? `; ${d.rollbackMessage}`
      : '';
  const stopped = [...report.actions]
    .reverse()
    .find((a) => a.kind === 'stopped' || a.kind === 'left-running');
  // The gate's own check failed: that, not CodeDeploy's MANUAL_STOP, is why the stage fails.
  const check = report.actions.find((a) => a.kind === 'verification-failed');
  const checkFailed = check ? check.detail.replace(/: stopping with rollback$/, '') : undefined;
  switch (report.verdict) {
    case 'succeeded':
      return `Deployment ${d.id} to ${where} succeeded on ${d.overview.succeeded} of ${total} targets${took}.`;
    case 'failed':
      if (checkFailed && d.status === 'Succeeded')
        return `Deployment ${d.id} to ${where} succeeded in CodeDeploy, but ${checkFailed} after the wait had ended, too late to stop it${rollback}.`;
      return `Deployment ${d.id} to ${where} failed${error}${why}${rollback}.`;
    case 'stopped':
      if (checkFailed)
        return `Deployment ${d.id} to ${where} was stopped by the gate: ${checkFailed}${why}${rollback}.`;
      return `Deployment ${d.id} to ${where} was stopped${error}${why}${rollback}.`;
    case 'timed-out':
      return `Gave up waiting for deployment ${d.id} to ${where} (${d.status})${stopped ? `; ${stopped.detail}` : ''}${rollback}.`;
    case 'cancelled':
      return `Cancelled by ${typeof signalReason === 'string' ? signalReason : 'the caller'} while deployment ${d.id} to ${where} was ${d.status}${stopped ? `; ${stopped.detail}` : ''}${rollback}.`;
    case 'created':
      return `Deployment ${d.id} to ${where} created (${d.status}); not waiting for it.`;
  }
}
