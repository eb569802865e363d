import { join } from 'node:path';
import type {
  DeploymentGroupInfo,
  DeploymentInfo,
  DeploymentWaitType,
  Diagnostics,
  InstanceTarget,
  LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import type { Agent, LifecycleResult } from '../agent/types.js';
import type { ComputeRuntime } from '../compute/runtime.js';
import type { DeploymentRecord, LocalState, Store } from '../state/index.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
import type { DeploymentEngineHandle } from '../wire/operation.js';
import { AlarmWatch, alarmsToWatch } from './alarms.js';
import { minimumHealthyHostsOf } from './configs.js';
import { alarmStopped, type Ending, failure, interrupted, manualStop, trafficEnding } from './endings.js';
import { failureStopsInstance } from './lifecycle.js';
import {
  MESSAGES,
  NO_ROLLBACK_TARGET,
  NOTHING_TO_ROLL_BACK,
  rollbackOfMessage,
  rollbackTriggeredMessage,
} from './messages.js';
import {
  finalOutcome,
  type HealthPlan,
  minimumBroken,
  openSlots,
  type Progress,
  planHealth,
} from './minimum-healthy.js';
import { deploymentOrder, type InstanceStanding } from './ordering.js';
import { overviewOf } from './overview.js';
import { groupKey, newDeploymentId, newDeploymentRecord, sameRevision } from './records.js';
import {
  ContinueWaits,
  failInterruptedTarget,
  HookExecutions,
  type HookStatus,
  isTrafficDeployment,
  newTrafficRollback,
  runTrafficDeployment,
  SERVER_CLOSING,
  type TrafficOutcome,
  trafficOf,
} from './traffic/index.js';

/** How often alarms are polled between the checks before each traffic step: six times a "minute". */
const ALARM_POLLS_PER_MINUTE = 6;

export interface DeploymentEngineOptions {
  store: Store;
  agent: Agent;
  /** Folder holding one folder per on-premises instance (`<instancesDir>/<name>`). */
  instancesDir: string;
  now: () => Date;
  log?: (line: string) => void;
  /** For ARNs of rollback targets; default us-east-1. */
  region?: string;
  /** For ARNs of rollback targets; default 111122223333. */
  accountId?: string;
  /**
   * How long one "minute" of a deployment lasts, in milliseconds: canary and linear intervals,
   * blue/green wait times and the 60-minute hook timeout are counted in these. Default 60000; tests
   * make it tens of milliseconds.
   */
  minuteMs?: number;
  /** The local Lambda, ECS and alarms that Lambda and ECS deployments act on (and alarms are read from). */
  compute?: ComputeRuntime;
}

type DeployPlan = Extract<HealthPlan, { kind: 'deploy' }>;

interface Running {
  groupKey: string;
  controller: AbortController;
  done: Promise<void>;
  stop?: { autoRollbackEnabled: boolean | undefined };
  /** The alarms the deployment watches; `fired` once one of them went into ALARM and stopped it. */
  alarms?: AlarmWatch;
  alarmFired?: string[];
}

/**
 * Runs deployments the way CodeDeploy runs in-place deployments: Created → InProgress → Succeeded,
 * Failed or Stopped, instances in minimum-healthy-hosts order and concurrency, every change persisted
 * at once so a watcher polling GetDeployment sees the progress. The decisions live in the small
 * modules beside this one; this is the loop and the bookkeeping around them.
 */
export function createDeploymentEngine(options: DeploymentEngineOptions): DeploymentEngineHandle {
  return new DeploymentEngine(options);
}

class DeploymentEngine implements DeploymentEngineHandle {
  private readonly running = new Map<string, Running>();
  /** Deployment ids waiting for their group, in arrival order. */
  private readonly queue: string[] = [];
  private closed = false;
  /** Lambda/ECS hook executions waiting for PutLifecycleEventHookExecutionStatus. */
  private readonly hooks: HookExecutions;
  /** Blue/green waits ContinueDeployment may end. */
  private readonly waits = new ContinueWaits();

  constructor(private readonly options: DeploymentEngineOptions) {
    this.hooks = new HookExecutions(options.store);
    this.recover();
  }

  private get store(): Store {
    return this.options.store;
  }

  start(deploymentId: string): void {
    const record = this.store.state.deployments[deploymentId];
    if (!record || this.closed) return;
    const key = groupKeyOf(record.info);
    if ([...this.running.values()].some((run) => run.groupKey === key)) {
      this.queue.push(deploymentId);
      this.store.update(() => {
        record.info.status = 'Queued';
        this.touchGroup(record.info);
      });
      return;
    }
    const controller = new AbortController();
    const entry: Running = { groupKey: key, controller, done: Promise.resolve() };
    this.running.set(deploymentId, entry);
    entry.done = this.run(deploymentId, entry)
      .catch((error: unknown) => this.log(`${deploymentId}: engine error: ${String(error)}`))
      .finally(() => {
        this.running.delete(deploymentId);
        this.startNextFor(key);
      });
  }

  async stop(deploymentId: string, autoRollbackEnabled: boolean | undefined): Promise<void> {
    const entry = this.running.get(deploymentId);
    if (entry) {
      entry.stop = { autoRollbackEnabled };
      entry.controller.abort();
      await entry.done;
      return;
    }
    const record = this.store.state.deployments[deploymentId];
    if (!record || !['Created', 'Queued'].includes(record.info.status ?? '')) return;
    const queued = this.queue.indexOf(deploymentId);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.finish(record, manualStop(autoRollbackEnabled));
  }

  /**
   * ContinueDeployment: READY_WAIT starts production traffic of a Ready ECS deployment,
   * TERMINATION_WAIT ends the wait before the original task set is deleted. Only ECS deployments
   * have these waits (the operation refuses the other platforms first).
   */
  continue(deploymentId: string, waitType: DeploymentWaitType): void {
    if (this.waits.release(deploymentId, waitType)) return;
    if (waitType === 'TERMINATION_WAIT') {
      throw codeDeployError(
        'DeploymentIsNotInReadyStateException',
        `The deployment ${deploymentId} is not waiting to terminate its original task set, so TERMINATION_WAIT cannot end.`,
      );
    }
    throw codeDeployError('DeploymentIsNotInReadyStateException');
  }

  /** A validated PutLifecycleEventHookExecutionStatus: the hook's event completes with this status. */
  reportHookExecution(deploymentId: string, executionId: string, status: HookStatus): void {
    const record = this.store.state.deployments[deploymentId];
    if (record) this.hooks.complete(record, executionId, status);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running.values()].map((run) => run.done));
    }
  }

  /**
   * Stops every run. EC2/on-premises deployments end Failed (INTERNAL_ERROR); Lambda and ECS
   * deployments are left InProgress or Ready, as a crash leaves them, so the next start on the same
   * state fails them and rolls back the traffic they moved (README "Stops and rollbacks"). Deployments
   * not started yet stay Created or Queued and start then.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const run of this.running.values()) run.controller.abort(SERVER_CLOSING);
    await this.idle();
  }

  private startNextFor(key: string): void {
    const index = this.queue.findIndex((id) => {
      const info = this.store.state.deployments[id]?.info;
      return info !== undefined && groupKeyOf(info) === key;
    });
    if (index < 0 || this.closed) return;
    const [next] = this.queue.splice(index, 1);
    if (next) this.start(next);
  }

  private async run(deploymentId: string, entry: Running): Promise<void> {
    // Let CreateDeployment answer while the deployment is still Created, as the service does.
    await new Promise((resolve) => setImmediate(resolve));
    const record = this.store.state.deployments[deploymentId];
    if (!record) return;
    if (entry.stop) {
      this.finish(record, manualStop(entry.stop.autoRollbackEnabled));
      return;
    }
    // The server closed before the deployment started: it stays Created, and starts with the next start.
    if (entry.controller.signal.aborted) return;
    const group = this.store.state.deploymentGroups[groupKeyOf(record.info)];
    this.store.update(() => {
      record.info.status = 'InProgress';
      record.info.startTime = this.options.now();
      this.touchGroup(record.info);
    });
    this.log(`${deploymentId}: InProgress`);
    if (!group) {
      this.finish(record, failure('DEPLOYMENT_GROUP_MISSING', 'The deployment group no longer exists.'));
      return;
    }
    this.watchAlarms(record, group, entry);
    try {
      if (isTrafficDeployment(record.info)) await this.runTraffic(record, group, entry);
      else await this.runServer(record, group, entry);
    } finally {
      entry.alarms?.stop();
    }
  }

  /** EC2/on-premises: instances in minimum-healthy-hosts order, each through its lifecycle. */
  private async runServer(
    record: DeploymentRecord,
    group: DeploymentGroupInfo,
    entry: Running,
  ): Promise<void> {
    const names = Object.keys(record.targets);
    if (names.length === 0) {
      this.finish(record, {
        status: 'Failed',
        error: { code: 'NO_INSTANCES', message: MESSAGES.NO_INSTANCES },
      });
      return;
    }
    const minimum = minimumHealthyHostsOf(this.store.state, record.info.deploymentConfigName ?? '');
    const plan = planHealth(minimum ?? { type: 'HOST_COUNT', value: 0 }, names.length);
    if (plan.kind === 'invalid') {
      this.finish(record, failure('HEALTH_CONSTRAINTS_INVALID', MESSAGES.HEALTH_CONSTRAINTS_INVALID));
      return;
    }
    const groupId = group.deploymentGroupId ?? '';
    this.skipCurrentInstances(record, groupId);
    const order = deploymentOrder(
      names
        .filter((name) => record.targets[name]?.status === 'Pending')
        .map((name) => this.standing(groupId, name)),
    );
    await this.deployInOrder(record, plan, order, groupId, entry);
    const progress = progressOf(record);
    const ending: Ending =
      interruption(entry) ??
      (finalOutcome(plan, progress) === 'Succeeded'
        ? { status: 'Succeeded' }
        : failure('HEALTH_CONSTRAINTS', MESSAGES.HEALTH_CONSTRAINTS));
    this.finish(record, ending);
  }

  /** Lambda and ECS: the one target through its lifecycle and traffic shifting (src/engine/traffic). */
  private async runTraffic(
    record: DeploymentRecord,
    group: DeploymentGroupInfo,
    entry: Running,
  ): Promise<void> {
    const compute = this.options.compute;
    if (!compute) {
      this.finish(record, failure('INTERNAL_ERROR', MESSAGES.NO_COMPUTE));
      return;
    }
    let outcome: TrafficOutcome;
    try {
      outcome = await runTrafficDeployment(record, {
        store: this.store,
        compute,
        group,
        now: this.options.now,
        minuteMs: this.minuteMs,
        signal: entry.controller.signal,
        hooks: this.hooks,
        waits: this.waits,
        alarmed: () => entry.alarms?.check() ?? false,
        region: this.options.region ?? 'us-east-1',
        accountId: this.options.accountId ?? '111122223333',
        log: (line) => this.log(line),
      });
    } catch (error) {
      // A fault in the local Lambda/ECS must end the deployment rather than leave it InProgress.
      outcome = { kind: 'failed', code: 'INTERNAL_ERROR', message: String(error) };
    }
    if (outcome.kind === 'aborted' && entry.controller.signal.reason === SERVER_CLOSING) {
      // Left as a crash leaves it (see close()): recover() fails it and rolls it back on the next start.
      this.log(`${record.info.deploymentId}: left ${record.info.status} by the server closing`);
      return;
    }
    this.finish(record, interruption(entry) ?? trafficEnding(outcome));
  }

  /** Polls the group's (or the deployment's override) alarms; ALARM stops the deployment. */
  private watchAlarms(record: DeploymentRecord, group: DeploymentGroupInfo, entry: Running): void {
    const compute = this.options.compute;
    // A rollback is what an alarm asks for; the alarm that is still firing must not stop it.
    const names = record.info.creator === 'codeDeployRollback' ? [] : alarmsToWatch(group, record.info);
    if (!compute || names.length === 0) return;
    entry.alarms = new AlarmWatch(
      names,
      (name) => compute.alarmState(name),
      (active) => {
        this.log(`${record.info.deploymentId}: alarm ${active.join(', ')}`);
        entry.alarmFired = active;
        entry.controller.abort();
      },
    ).start(Math.max(1, Math.round(this.minuteMs / ALARM_POLLS_PER_MINUTE)));
  }

  private get minuteMs(): number {
    return this.options.minuteMs ?? 60_000;
  }

  /** The scheduling loop: start instances while slots are open, stop once the minimum is broken. */
  private async deployInOrder(
    record: DeploymentRecord,
    plan: DeployPlan,
    order: string[],
    groupId: string,
    entry: Running,
  ): Promise<void> {
    const waiting = [...order];
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      if (entry.alarms?.check() || entry.controller.signal.aborted || minimumBroken(plan, progressOf(record)))
        break;
      let slots = openSlots(plan, progressOf(record));
      while (slots > 0 && waiting.length > 0) {
        const name = waiting.shift()!;
        const task: Promise<void> = this.deployInstance(
          record,
          name,
          groupId,
          entry.controller.signal,
        ).finally(() => inFlight.delete(task));
        inFlight.add(task);
        slots -= 1;
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /** One instance's lifecycle, event by event; a failure skips the rest unless it may be ignored. */
  private async deployInstance(record: DeploymentRecord, name: string, groupId: string, signal: AbortSignal) {
    const target = record.targets[name]!;
    const info = record.info;
    const history = this.store.state.instanceHistory[`${groupId}/${name}`];
    this.store.update(() => {
      target.status = 'InProgress';
      target.lastUpdatedAt = this.options.now();
      refreshOverview(record);
    });
    let failed = false;
    for (const event of target.lifecycleEvents ?? []) {
      if (signal.aborted) {
        failed = true;
        break;
      }
      this.store.update(() => {
        event.status = 'InProgress';
        event.startTime = this.options.now();
        target.lastUpdatedAt = event.startTime;
      });
      const result = await this.runEvent({
        event: event.lifecycleEventName ?? '',
        deploymentId: info.deploymentId ?? '',
        applicationName: info.applicationName ?? '',
        deploymentGroupName: info.deploymentGroupName ?? '',
        deploymentGroupId: groupId,
        revision: info.revision ?? {},
        instance: { name, root: join(this.options.instancesDir, name) },
        fileExistsBehavior: info.fileExistsBehavior ?? 'DISALLOW',
        lastSuccessfulDeploymentId: history?.lastSuccessfulDeploymentId,
        signal,
      });
      this.store.update(() => {
        event.status = result.status;
        event.endTime = this.options.now();
        event.diagnostics = result.diagnostics;
        target.lastUpdatedAt = event.endTime;
      });
      this.log(`${info.deploymentId}: ${name} ${event.lifecycleEventName} ${result.status}`);
      if (
        result.status === 'Failed' &&
        failureStopsInstance(event.lifecycleEventName ?? '', info.ignoreApplicationStopFailures ?? false)
      ) {
        failed = true;
        break;
      }
    }
    this.store.update((state) => {
      const now = this.options.now();
      skipRemainingEvents(target, now);
      target.status = failed ? 'Failed' : 'Succeeded';
      target.lastUpdatedAt = now;
      refreshOverview(record);
      recordInstanceResult(state, groupId, name, info.deploymentId ?? '', !failed);
    });
  }

  private async runEvent(request: Parameters<Agent['run']>[0]): Promise<LifecycleResult> {
    try {
      return await this.options.agent.run(request);
    } catch (error) {
      return {
        status: 'Failed',
        diagnostics: { errorCode: 'UnknownError', scriptName: '', message: String(error), logTail: '' },
      };
    }
  }

  /** updateOutdatedInstancesOnly: instances already on this revision are not deployed to. */
  private skipCurrentInstances(record: DeploymentRecord, groupId: string): void {
    if (!record.info.updateOutdatedInstancesOnly) return;
    this.store.update((state) => {
      const now = this.options.now();
      for (const [name, target] of Object.entries(record.targets)) {
        const installed = installedRevision(state, groupId, name);
        if (!sameRevision(installed, record.info.revision)) continue;
        target.status = 'Skipped';
        target.lastUpdatedAt = now;
        skipRemainingEvents(target, now);
      }
      refreshOverview(record);
    });
  }

  private standing(groupId: string, name: string): InstanceStanding {
    const state = this.store.state;
    const history = state.instanceHistory[`${groupId}/${name}`];
    const installed = installedRevision(state, groupId, name);
    const groupRevision = Object.values(state.deploymentGroups).find(
      (g) => g.deploymentGroupId === groupId,
    )?.targetRevision;
    return {
      name,
      health: history?.health ?? 'Unhealthy',
      revisionHealth: !installed ? 'Unknown' : sameRevision(installed, groupRevision) ? 'Current' : 'Old',
    };
  }

  /**
   * Ends a deployment in one persisted change: untouched targets Skipped, status, times and error,
   * the group's last attempted/successful deployment and target revision (user guide "Instance
   * health": the group's revision changes only on success), then a rollback if one is due.
   */
  private finish(record: DeploymentRecord, ending: Ending): void {
    const rollbackId = this.store.update((state) => {
      const now = this.options.now();
      for (const target of Object.values(record.targets)) {
        if (target.status !== 'Pending') continue;
        target.status = 'Skipped';
        target.lastUpdatedAt = now;
        skipRemainingEvents(target, now);
      }
      const info = record.info;
      info.status = ending.status;
      info.completeTime = now;
      if (ending.error) info.errorInformation = ending.error;
      refreshOverview(record);
      const group = state.deploymentGroups[groupKeyOf(info)];
      if (group && ending.status === 'Succeeded') {
        group.lastSuccessfulDeployment = lastDeployment(info);
        if (info.revision) this.moveTargetRevision(state, group.deploymentGroupName ?? '', info);
        group.targetRevision = info.revision;
      }
      this.touchGroup(info);
      return this.rollbackFor(state, record, ending);
    });
    this.log(`${record.info.deploymentId}: ${ending.status}${ending.error ? ` ${ending.error.code}` : ''}`);
    if (rollbackId) this.start(rollbackId);
  }

  /** GenericRevisionInfo.deploymentGroups lists the groups a revision is the target revision of. */
  private moveTargetRevision(state: LocalState, groupName: string, info: DeploymentInfo): void {
    for (const record of Object.values(state.revisions)) {
      if (record.applicationName !== info.applicationName) continue;
      const groups = (record.info.deploymentGroups ?? []).filter((g) => g !== groupName);
      if (sameRevision(record.revision, info.revision)) groups.push(groupName);
      record.info.deploymentGroups = groups;
    }
  }

  /**
   * Automatic rollback: a new deployment of the group's last successful revision (Lambda/ECS: of
   * where traffic was, once the deployment moved some), created by `codeDeployRollback` and linked
   * both ways through rollbackInfo. Rollbacks are not themselves rolled back. Returns the new
   * deployment's id.
   */
  private rollbackFor(state: LocalState, record: DeploymentRecord, ending: Ending): string | undefined {
    const info = record.info;
    // While closing, the rollback is still created: it stays Created and runs at the next start.
    if (!ending.rollbackEvent || info.creator === 'codeDeployRollback') return undefined;
    const config = info.autoRollbackConfiguration;
    const wanted =
      ending.rollbackEvent === 'DEPLOYMENT_STOP_ON_REQUEST' && ending.stopRollback !== undefined
        ? ending.stopRollback
        : config?.enabled === true && (config.events ?? []).includes(ending.rollbackEvent);
    if (!wanted) return undefined;
    const group = state.deploymentGroups[groupKeyOf(info)];
    if (!group) return undefined;
    if (isTrafficDeployment(info) && trafficOf(record)?.touched !== true) {
      info.rollbackInfo = { rollbackMessage: NOTHING_TO_ROLL_BACK };
      return undefined;
    }
    const deploymentId = newDeploymentId(state);
    const rollback = isTrafficDeployment(info)
      ? newTrafficRollback(record, {
          deploymentId,
          group,
          createTime: this.options.now(),
          region: this.options.region ?? 'us-east-1',
          accountId: this.options.accountId ?? '111122223333',
        })
      : this.serverRollback(state, record, group, deploymentId);
    if (!rollback) {
      info.rollbackInfo = { rollbackMessage: NO_ROLLBACK_TARGET };
      return undefined;
    }
    rollback.info.rollbackInfo = {
      rollbackTriggeringDeploymentId: info.deploymentId,
      rollbackMessage: rollbackOfMessage(deploymentId, info.deploymentId ?? ''),
    };
    info.rollbackInfo = {
      rollbackDeploymentId: deploymentId,
      rollbackMessage: rollbackTriggeredMessage(info.deploymentId ?? '', deploymentId),
    };
    state.deployments[deploymentId] = rollback;
    group.lastAttemptedDeployment = lastDeployment(rollback.info);
    return deploymentId;
  }

  /** An EC2/on-premises rollback redeploys the group's last successful revision to the same instances. */
  private serverRollback(
    state: LocalState,
    record: DeploymentRecord,
    group: DeploymentGroupInfo,
    deploymentId: string,
  ): DeploymentRecord | undefined {
    const info = record.info;
    const lastGood = group.lastSuccessfulDeployment?.deploymentId;
    const source = lastGood ? state.deployments[lastGood]?.info : undefined;
    if (!source?.revision) return undefined;
    return newDeploymentRecord({
      deploymentId,
      group,
      revision: source.revision,
      deploymentConfigName: info.deploymentConfigName ?? '',
      creator: 'codeDeployRollback',
      createTime: this.options.now(),
      targets: Object.fromEntries(
        Object.entries(record.targets).map(([name, target]) => [
          name,
          target.targetArn ?? this.instanceArn(name),
        ]),
      ),
      ignoreApplicationStopFailures: info.ignoreApplicationStopFailures,
      // "the content-handling option for that last successful deployment is applied to the rollback deployment"
      fileExistsBehavior: source.fileExistsBehavior,
      autoRollbackConfiguration: info.autoRollbackConfiguration,
    });
  }

  private instanceArn(name: string): string {
    return (
      this.store.state.instances[name]?.instanceArn ??
      `arn:aws:codedeploy:${this.options.region ?? 'us-east-1'}:${this.options.accountId ?? '111122223333'}:instance/${name}`
    );
  }

  /** Keeps the group's lastAttemptedDeployment in step with the deployment it names. */
  private touchGroup(info: DeploymentInfo): void {
    const group = this.store.state.deploymentGroups[groupKeyOf(info)];
    if (
      group &&
      (!group.lastAttemptedDeployment || group.lastAttemptedDeployment.deploymentId === info.deploymentId)
    ) {
      group.lastAttemptedDeployment = lastDeployment(info);
    }
  }

  /**
   * After a restart nothing is running: events that were running fail as the agent fails them
   * ("Failing in-progress lifecycle event after an agent restart"), and the deployments are finished
   * by the usual rules without re-running anything. Deployments that had not started are scheduled.
   */
  private recover(): void {
    const records = Object.values(this.store.state.deployments).sort(
      (a, b) => (a.info.createTime?.getTime() ?? 0) - (b.info.createTime?.getTime() ?? 0),
    );
    for (const record of records.filter(
      (r) => r.info.status === 'InProgress' && !isTrafficDeployment(r.info),
    )) {
      const group = this.store.state.deploymentGroups[groupKeyOf(record.info)];
      const groupId = group?.deploymentGroupId ?? '';
      this.store.update((state) => {
        const now = this.options.now();
        for (const [name, target] of Object.entries(record.targets)) {
          if (target.status !== 'InProgress') continue;
          for (const event of target.lifecycleEvents ?? []) {
            if (event.status !== 'InProgress') continue;
            event.status = 'Failed';
            event.endTime = now;
            event.diagnostics = restartDiagnostics();
          }
          skipRemainingEvents(target, now);
          target.status = 'Failed';
          target.lastUpdatedAt = now;
          recordInstanceResult(state, groupId, name, record.info.deploymentId ?? '', false);
        }
        refreshOverview(record);
      });
      const minimum = minimumHealthyHostsOf(this.store.state, record.info.deploymentConfigName ?? '');
      const plan = planHealth(
        minimum ?? { type: 'HOST_COUNT', value: 0 },
        Object.keys(record.targets).length,
      );
      const progress = progressOf(record);
      let ending: Ending;
      if (plan.kind === 'invalid')
        ending = failure('HEALTH_CONSTRAINTS_INVALID', MESSAGES.HEALTH_CONSTRAINTS_INVALID);
      else if (progress.pending === 0 && finalOutcome(plan, progress) === 'Succeeded')
        ending = { status: 'Succeeded' };
      else if (progress.pending > 0 && !minimumBroken(plan, progress))
        ending = failure('INTERNAL_ERROR', MESSAGES.INTERRUPTED);
      else ending = failure('HEALTH_CONSTRAINTS', MESSAGES.HEALTH_CONSTRAINTS);
      this.finish(record, ending);
    }
    for (const record of records.filter(
      (r) => isTrafficDeployment(r.info) && ['InProgress', 'Ready'].includes(r.info.status ?? ''),
    )) {
      this.failInterruptedTraffic(record);
    }
    for (const record of records.filter((r) => ['Created', 'Queued'].includes(r.info.status ?? ''))) {
      this.start(record.info.deploymentId ?? '');
    }
  }

  /**
   * A Lambda or ECS deployment the server stopped under: it fails (its running event and open hook
   * executions with it) and, when the rollback configuration asks for it, a rollback moves the
   * traffic back. Without one, traffic stays where the restart found it.
   */
  private failInterruptedTraffic(record: DeploymentRecord): void {
    this.store.update(() => {
      failInterruptedTarget(record, this.options.now(), MESSAGES.INTERRUPTED);
      refreshOverview(record);
    });
    this.finish(record, failure('INTERNAL_ERROR', MESSAGES.INTERRUPTED));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function groupKeyOf(info: DeploymentInfo): string {
  return groupKey(info.applicationName ?? '', info.deploymentGroupName ?? '');
}

/** Why a run ended before its own end: a StopDeployment, an alarm, or the server closing. */
function interruption(entry: Running): Ending | undefined {
  if (entry.stop) return manualStop(entry.stop.autoRollbackEnabled);
  if (entry.alarmFired) return alarmStopped(entry.alarmFired);
  if (entry.controller.signal.aborted) return interrupted();
  return undefined;
}

function restartDiagnostics(): Diagnostics {
  return { errorCode: 'UnknownError', scriptName: '', message: MESSAGES.AGENT_RESTART, logTail: '' };
}

/** Events that never ran after a failure, a stop or an early end: Skipped, with an end time and no start time. */
function skipRemainingEvents(target: InstanceTarget, now: Date): void {
  for (const event of target.lifecycleEvents ?? ([] as LifecycleEvent[])) {
    if (event.status !== 'Pending') continue;
    event.status = 'Skipped';
    event.endTime = now;
  }
}

function refreshOverview(record: DeploymentRecord): void {
  record.info.deploymentOverview = overviewOf(record.targets);
}

function progressOf(record: DeploymentRecord): Progress {
  const overview = overviewOf(record.targets);
  return {
    succeeded: overview.Succeeded ?? 0,
    failed: overview.Failed ?? 0,
    skipped: overview.Skipped ?? 0,
    inProgress: overview.InProgress ?? 0,
    pending: overview.Pending ?? 0,
  };
}

function lastDeployment(info: DeploymentInfo) {
  return {
    deploymentId: info.deploymentId,
    status: info.status,
    createTime: info.createTime,
    ...(info.completeTime ? { endTime: info.completeTime } : {}),
  };
}

/** Instance health after an attempt: healthy if it succeeded, unhealthy otherwise (user guide). */
function recordInstanceResult(
  state: LocalState,
  groupId: string,
  name: string,
  deploymentId: string,
  ok: boolean,
) {
  const key = `${groupId}/${name}`;
  const history = state.instanceHistory[key] ?? { health: 'Unhealthy' };
  history.health = ok ? 'Healthy' : 'Unhealthy';
  history.lastAttemptedDeploymentId = deploymentId;
  if (ok) history.lastSuccessfulDeploymentId = deploymentId;
  state.instanceHistory[key] = history;
}

/** The revision last installed successfully on an instance in a group. */
function installedRevision(state: LocalState, groupId: string, name: string) {
  const last = state.instanceHistory[`${groupId}/${name}`]?.lastSuccessfulDeploymentId;
  return last ? state.deployments[last]?.info.revision : undefined;
}
