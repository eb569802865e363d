import type {
  CodeDeployClient,
  DeploymentInfo,
  DeploymentTarget,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { AwsError } from '../errors/index.js';
import type { WatchStats } from '../report/model.js';
import { type Clock, realClock } from './clock.js';
import {
  DEFAULT_PACING,
  errorBackoffDelay,
  nextPollDelay,
  type PacingSettings,
  predictEnd,
} from './pacing.js';
import {
  getDeployment,
  getTargets,
  lifecycleEventsOf,
  listTargetIds,
  TERMINAL_STATUSES,
  TERMINAL_TARGET_STATUSES,
  targetIdOf,
  targetStatusOf,
} from './reads.js';
import { isRetryableAwsError } from './retryable.js';

/** What the gate knows about a deployment at one moment. */
export interface DeploymentSnapshot {
  deployment: DeploymentInfo;
  /** Every target seen so far, in the service's order; empty before the deployment starts. */
  targets: DeploymentTarget[];
  /** When it was read (epoch ms). */
  at: number;
  /**
   * The deployment configuration's traffic routing (Lambda and ECS), when the gate looked it up: what
   * turns a traffic share into "step 1 of 2".
   */
  trafficRouting?: TrafficRoutingConfig | undefined;
}

export type WatchOutcome =
  /** The deployment reached Succeeded, Failed or Stopped. */
  | { state: 'ended'; snapshot: DeploymentSnapshot }
  /** `until` said so (a blue/green deployment waiting in Ready, say). */
  | { state: 'condition'; snapshot: DeploymentSnapshot }
  /** The deadline passed first; the snapshot is a fresh look taken at the deadline. */
  | { state: 'deadline'; snapshot: DeploymentSnapshot }
  /** The signal fired; the snapshot is the last one read, if any. */
  | { state: 'aborted'; snapshot: DeploymentSnapshot | undefined };

export interface WatchOptions {
  signal?: AbortSignal | undefined;
  /** Epoch ms after which the watch gives up with `deadline`. */
  deadline?: number | undefined;
  pacing?: Partial<PacingSettings> | undefined;
  /** Refresh unfinished targets on every poll (a live terminal display), not only when counters move. */
  liveTargets?: boolean | undefined;
  /** Ends the watch early with `condition` when it returns true for a fresh answer. */
  until?: ((deployment: DeploymentInfo) => boolean) | undefined;
  /**
   * Called when the status, a counter, a target or a traffic weight changed, never for a poll that saw
   * nothing new. The watch waits for a returned promise (the gate looks up the traffic routing there).
   */
  onUpdate?: ((snapshot: DeploymentSnapshot) => void | Promise<void>) | undefined;
  /** Called when a poll failed with a retryable error and will be retried after `retryInMs`. */
  onPollError?: ((error: AwsError, retryInMs: number) => void) | undefined;
  /** Counters to add this watch's calls to (shared across the watches of one gate). */
  stats?: WatchStats | undefined;
  /** Consecutive failed polls after which the watch gives up and throws. Default 8 (about 3 min). */
  maxConsecutiveErrors?: number | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

export function newWatchStats(): WatchStats {
  return { elapsedMs: 0, getDeploymentCalls: 0, targetCalls: 0, throttled: 0 };
}

/**
 * Watches a deployment until it ends, the deadline passes, `until` holds or the signal fires. One
 * GetDeployment per poll; targets are read only when the status or counters moved (or every poll with
 * `liveTargets`), and only those not yet finished. Throttling and transient failures back off with
 * jitter; anything else (access denied, no such deployment) throws an AwsError at once.
 */
export async function watchDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  options: WatchOptions = {},
): Promise<WatchOutcome> {
  const clock = options.clock ?? realClock;
  const pacing: PacingSettings = { ...DEFAULT_PACING, ...options.pacing };
  const stats = options.stats ?? newWatchStats();
  const signal = options.signal;
  const onCall = (operation: string) => {
    if (operation === 'GetDeployment') stats.getDeploymentCalls += 1;
    else stats.targetCalls += 1;
  };
  const startedAt = clock.now();
  const targets = new Map<string, DeploymentTarget>();
  let targetIds: string[] = [];
  let lastSeen = '';
  let lastCounters = '';
  let delay = pacing.baseMs;
  let errors = 0;
  let snapshot: DeploymentSnapshot | undefined;
  const finish = <T extends WatchOutcome>(outcome: T): T => {
    stats.elapsedMs += clock.now() - startedAt;
    return outcome;
  };

  for (;;) {
    if (signal?.aborted) return finish({ state: 'aborted', snapshot });
    const pastDeadline = options.deadline !== undefined && clock.now() >= options.deadline;
    try {
      const deployment = await getDeployment(client, deploymentId, { signal, onCall });
      const counters = fingerprint(deployment);
      const ended = TERMINAL_STATUSES.has(deployment.status ?? '');
      const moved = counters !== lastCounters;
      if (
        moved ||
        options.liveTargets ||
        ended ||
        shiftsTraffic(deployment) ||
        missesRunningTargets(deployment, targets)
      ) {
        targetIds = await refreshTargets(deployment, targetIds, targets);
      }
      // Only once the targets were read: a failed read leaves the change to be picked up next time.
      lastCounters = counters;
      const now = clock.now();
      snapshot = { deployment, targets: [...targets.values()], at: now };
      const current = `${counters}|${targetsFingerprint(snapshot.targets)}`;
      if (current !== lastSeen) {
        lastSeen = current;
        await options.onUpdate?.(snapshot);
      }
      errors = 0;
      if (ended) return finish({ state: 'ended', snapshot });
      if (options.until?.(deployment)) return finish({ state: 'condition', snapshot });
      if (pastDeadline) return finish({ state: 'deadline', snapshot });
      delay = nextPollDelay(
        { now, startedAt, predictedEnd: predictEnd(deployment, snapshot.targets, now, pacing.baseMs) },
        pacing,
      );
    } catch (error) {
      if (signal?.aborted) return finish({ state: 'aborted', snapshot });
      const awsError = error as AwsError;
      errors += 1;
      if (!isRetryableAwsError(awsError) || errors >= (options.maxConsecutiveErrors ?? 8)) {
        stats.elapsedMs += clock.now() - startedAt;
        throw error;
      }
      stats.throttled += 1;
      delay = errorBackoffDelay(errors, pacing, options.random);
      options.onPollError?.(awsError, delay);
      if (pastDeadline && snapshot) return finish({ state: 'deadline', snapshot });
    }
    const untilDeadline = options.deadline === undefined ? delay : options.deadline - clock.now();
    try {
      await clock.sleep(Math.max(0, Math.min(delay, untilDeadline)), signal);
    } catch {
      return finish({ state: 'aborted', snapshot });
    }
  }

  /** Lists target ids once the deployment has started, then re-reads only unfinished targets. */
  async function refreshTargets(
    deployment: DeploymentInfo,
    ids: string[],
    into: Map<string, DeploymentTarget>,
  ): Promise<string[]> {
    if (deployment.status === 'Created' || deployment.status === 'Queued') return ids;
    const total = Object.values(deployment.deploymentOverview ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
    let known = ids;
    if (known.length === 0 || known.length < total) {
      known = await listTargetIds(client, deploymentId, { signal, onCall });
    }
    const unfinished = known.filter((id) => {
      const seen = into.get(id);
      return seen === undefined || !TERMINAL_TARGET_STATUSES.has(targetStatusOf(seen));
    });
    for (const target of await getTargets(client, deploymentId, unfinished, { signal, onCall })) {
      into.set(targetIdOf(target), target);
    }
    return known;
  }
}

/**
 * Lambda and ECS deployments move traffic without moving a counter (their one target stays
 * InProgress from the first hook to the last): their target is read on every poll while they run, one
 * BatchGetDeploymentTargets call, so each traffic step is seen.
 */
function shiftsTraffic(deployment: DeploymentInfo): boolean {
  return (
    deployment.status === 'InProgress' &&
    (deployment.computePlatform === 'Lambda' || deployment.computePlatform === 'ECS')
  );
}

/**
 * True when the counters say more targets are running than we have seen running: a look that fell
 * between one target finishing and the next starting. Reading them again gives the prediction its
 * start times.
 */
function missesRunningTargets(deployment: DeploymentInfo, targets: Map<string, DeploymentTarget>): boolean {
  if (deployment.status !== 'InProgress') return false;
  let running = 0;
  for (const target of targets.values()) if (targetStatusOf(target) === 'InProgress') running += 1;
  return running < (deployment.deploymentOverview?.InProgress ?? 0);
}

/** What must differ for a GetDeployment answer to count as a change. */
function fingerprint(deployment: DeploymentInfo): string {
  const o = deployment.deploymentOverview ?? {};
  return JSON.stringify([
    deployment.status,
    o.Pending,
    o.InProgress,
    o.Succeeded,
    o.Failed,
    o.Skipped,
    o.Ready,
    deployment.rollbackInfo?.rollbackDeploymentId,
    deployment.instanceTerminationWaitTimeStarted,
  ]);
}

function targetsFingerprint(targets: readonly DeploymentTarget[]): string {
  return targets
    .map(
      (t) =>
        `${targetIdOf(t)}:${targetStatusOf(t)}:${lifecycleEventsOf(t)
          .map((e) => e.status ?? '')
          .join(',')}:${trafficFingerprint(t)}`,
    )
    .join(';');
}

/** The weights a Lambda or ECS target carries; empty for other targets. */
function trafficFingerprint(target: DeploymentTarget): string {
  const fn = target.lambdaTarget?.lambdaFunctionInfo;
  if (fn !== undefined) return `${fn.currentVersion}>${fn.targetVersion}@${fn.targetVersionWeight}`;
  return (target.ecsTarget?.taskSetsInfo ?? [])
    .map((set) => `${set.taskSetLabel}=${set.trafficWeight}`)
    .join(',');
}
