import type {
  DeploymentGroupInfo,
  Diagnostics,
  ECSTarget,
  LambdaTarget,
  LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import type { ComputeRuntime } from '../../compute/runtime.js';
import type { DeploymentRecord, Store } from '../../state/index.js';
import { trafficConfigOf } from '../configs.js';
import { MESSAGES, readyWaitTimedOutMessage } from '../messages.js';
import { overviewOf } from '../overview.js';
import { type ContinueWaits, readyWaitOf } from './blue-green-waits.js';
import { childController, sleep } from './clock.js';
import { EcsTraffic } from './ecs-traffic.js';
import type { HookExecutions } from './hook-executions.js';
import { LambdaTraffic } from './lambda-traffic.js';
import { trafficPlan } from './plan.js';
import { type TrafficRecord, trafficOf, trafficTargetOf } from './records.js';
import type { Failure, TrafficTarget } from './target.js';

/**
 * The abort reason the engine gives when the server closes under a running deployment: the run then
 * leaves the deployment exactly as it is (InProgress or Ready, the running event and hook execution
 * open), so the next start finds it as after a crash and fails and rolls it back by the usual rules.
 */
export const SERVER_CLOSING: unique symbol = Symbol('the local CodeDeploy is closing');

/** A hook must report within 60 minutes (quota "lifecycle event ... 3600 seconds"; ECS troubleshooting). */
const HOOK_TIMEOUT_MINUTES = 60;
/** After a hook reports Failed, how long to wait for its run to end, so its output can go in the diagnostics. */
const LOG_GRACE_MS = 1000;

export interface TrafficRunContext {
  store: Store;
  compute: ComputeRuntime;
  group: DeploymentGroupInfo | undefined;
  now(): Date;
  minuteMs: number;
  /**
   * Aborted by StopDeployment, an alarm or the server closing (reason {@link SERVER_CLOSING}); the
   * engine knows which.
   */
  signal: AbortSignal;
  hooks: HookExecutions;
  waits: ContinueWaits;
  /** Polls the alarms now; true when one is in ALARM (the signal is then being aborted). */
  alarmed(): boolean;
  region: string;
  accountId: string;
  log(line: string): void;
}

export type TrafficOutcome =
  | { kind: 'succeeded' }
  | ({ kind: 'failed' } & Failure)
  /** The deployment was not continued within its ready wait time. */
  | ({ kind: 'timed-out' } & Failure)
  /**
   * The signal ended the run; the engine tells a stop, an alarm and a shutdown apart. On a shutdown
   * the target is left as it was; otherwise it is Failed.
   */
  | { kind: 'aborted' };

type EventResult =
  | { status: 'Succeeded' }
  | { status: 'Failed'; failure: Failure; diagnostics?: Diagnostics }
  | { status: 'Aborted' };

/**
 * Runs a Lambda or ECS deployment's one target through its lifecycle: hook events invoke their
 * function and wait for PutLifecycleEventHookExecutionStatus (events without a hook succeed at once,
 * as the service reports them), AllowTraffic shifts traffic in the deployment config's steps, an ECS
 * deployment may wait Ready for ContinueDeployment before production traffic moves, and the target
 * ends Succeeded or Failed. Every change is persisted at once, so a watcher polling
 * BatchGetDeploymentTargets sees each step.
 */
export async function runTrafficDeployment(
  record: DeploymentRecord,
  context: TrafficRunContext,
): Promise<TrafficOutcome> {
  const traffic = trafficOf(record);
  const target = trafficTargetOf(record);
  if (!traffic || !target) {
    return { kind: 'failed', code: 'INTERNAL_ERROR', message: 'The deployment has no Lambda or ECS target.' };
  }
  const run = new TrafficRun(record, target, trafficTargetFor(record, target, context), context);
  return run.execute();
}

function trafficTargetFor(
  record: DeploymentRecord,
  target: LambdaTarget & ECSTarget,
  context: TrafficRunContext,
): TrafficTarget {
  const traffic = trafficOf(record)!;
  if (traffic.appspec.platform === 'Lambda') {
    return new LambdaTraffic(context.store, context.compute.lambda, target, traffic, traffic.appspec);
  }
  return new EcsTraffic({
    store: context.store,
    ecs: context.compute.ecs,
    record,
    traffic,
    target,
    appspec: traffic.appspec,
    state: traffic.ecs ?? { clusterName: '', serviceName: '' },
    group: context.group,
    rollback: traffic.rollback === true,
    waits: context.waits,
    minuteMs: context.minuteMs,
    region: context.region,
    accountId: context.accountId,
  });
}

class TrafficRun {
  private readonly traffic: TrafficRecord;

  constructor(
    private readonly record: DeploymentRecord,
    private readonly target: LambdaTarget & ECSTarget,
    private readonly platform: TrafficTarget,
    private readonly context: TrafficRunContext,
  ) {
    this.traffic = trafficOf(record)!;
  }

  private get deploymentId(): string {
    return this.record.info.deploymentId ?? '';
  }

  /**
   * The lifecycle; a call the local Lambda or ECS refuses (a service without the CODE_DEPLOY
   * controller, say) fails the running event with the refusal rather than leaving it InProgress.
   */
  async execute(): Promise<TrafficOutcome> {
    try {
      return await this.lifecycle();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const running = this.target.lifecycleEvents?.find((event) => event.status === 'InProgress');
      if (running) {
        this.updateEvent(running, {
          status: 'Failed',
          endTime: this.context.now(),
          diagnostics: { errorCode: 'UnknownError', scriptName: '', message, logTail: '' },
        });
      }
      this.endTarget('Failed');
      const code = this.traffic.appspec.platform === 'ECS' ? 'ECS_UPDATE_ERROR' : 'INTERNAL_ERROR';
      return { kind: 'failed', code, message };
    }
  }

  private async lifecycle(): Promise<TrafficOutcome> {
    const problem = this.platform.check();
    if (problem) {
      this.endTarget('Failed');
      return { kind: 'failed', ...problem };
    }
    this.setTarget('InProgress');
    for (const event of this.target.lifecycleEvents ?? []) {
      const name = event.lifecycleEventName ?? '';
      if (name === 'BeforeAllowTraffic') {
        const ready = await this.readyWait();
        if (ready?.kind === 'aborted') return this.aborted();
        if (ready) return this.end(ready);
      }
      if (this.context.signal.aborted) return this.aborted();
      this.updateEvent(event, { status: 'InProgress', startTime: this.context.now() });
      const result = await this.runEvent(name);
      if (result.status === 'Aborted') {
        if (this.closing) return { kind: 'aborted' };
        this.updateEvent(event, {
          status: 'Failed',
          endTime: this.context.now(),
          diagnostics: {
            errorCode: 'UnknownError',
            scriptName: '',
            message: 'The deployment was stopped before this lifecycle event completed.',
            logTail: '',
          },
        });
        return this.end({ kind: 'aborted' });
      }
      this.updateEvent(event, {
        status: result.status,
        endTime: this.context.now(),
        ...(result.status === 'Failed' && result.diagnostics ? { diagnostics: result.diagnostics } : {}),
      });
      this.context.log(`${this.deploymentId}: ${this.target.targetId} ${name} ${result.status}`);
      if (result.status === 'Failed') return this.end({ kind: 'failed', ...result.failure });
    }
    const completion = await this.platform.complete(this.context.signal);
    if (completion === 'aborted') return this.aborted();
    this.endTarget('Succeeded');
    return { kind: 'succeeded' };
  }

  private async runEvent(name: string): Promise<EventResult> {
    const hook = this.traffic.rollback ? undefined : this.traffic.appspec.hooks[name];
    if (hook !== undefined) return this.runHook(name, hook);
    if (name === 'AllowTraffic') return this.shiftTraffic();
    const failure = this.platform.serviceEvent(name);
    return failure ? { status: 'Failed', failure } : { status: 'Succeeded' };
  }

  /** AllowTraffic: each step of the config's plan, alarms checked before every shift. */
  private async shiftTraffic(): Promise<EventResult> {
    const config = this.traffic.rollback
      ? undefined
      : trafficConfigOf(this.context.store.state, this.record.info.deploymentConfigName ?? '')
          ?.trafficRoutingConfig;
    for (const step of trafficPlan(config)) {
      if (this.context.alarmed() || this.context.signal.aborted) return { status: 'Aborted' };
      this.platform.shift(step.percent);
      this.touch();
      this.context.log(`${this.deploymentId}: ${this.target.targetId} traffic ${step.percent}%`);
      if (step.waitMinutes > 0) {
        const waited = await sleep(step.waitMinutes * this.context.minuteMs, this.context.signal);
        if (!waited) return { status: 'Aborted' };
      }
    }
    return { status: 'Succeeded' };
  }

  /**
   * Invokes the hook function with {DeploymentId, LifecycleEventHookExecutionId} and waits for its
   * report; one that never reports fails the event after 60 minutes. A local deviation: a function
   * that cannot be invoked or whose run fails (an exception, a non-zero exit, its own timeout) fails
   * the event at once, with its output as the log tail. AWS invokes hooks asynchronously and only
   * sees the missing report, an hour later; locally the faster answer is the useful one (README
   * "Hooks").
   */
  private async runHook(event: string, functionName: string): Promise<EventResult> {
    const { compute, hooks, minuteMs, signal } = this.context;
    if (!compute.lambda.functionExists(functionName)) {
      return hookFailure('ScriptMissing', functionName, `The hook function ${functionName} does not exist.`);
    }
    const id = hooks.open(this.record, event, functionName);
    const waiting = childController(signal);
    const invocationControl = childController(signal);
    const invocation = compute.lambda
      .invoke(
        functionName,
        { DeploymentId: this.deploymentId, LifecycleEventHookExecutionId: id },
        invocationControl.signal,
      )
      .catch((error: unknown) => ({ ok: false, error: String(error), output: undefined }));
    type Ending =
      | { kind: 'reported'; status: 'Succeeded' | 'Failed' }
      | { kind: 'invoke-failed'; error: string; output: string | undefined }
      | { kind: 'timeout' }
      | { kind: 'aborted' };
    const ending = await Promise.race<Ending>([
      hooks
        .reported(this.record, id, waiting.signal)
        .then((status) => (status ? { kind: 'reported', status } : { kind: 'aborted' })),
      invocation.then((result) =>
        result.ok
          ? new Promise<Ending>(() => {})
          : { kind: 'invoke-failed', error: result.error ?? 'the invocation failed', output: result.output },
      ),
      sleep(HOOK_TIMEOUT_MINUTES * minuteMs, waiting.signal).then((slept) =>
        slept ? { kind: 'timeout' } : { kind: 'aborted' },
      ),
    ]);
    waiting.abort();
    if (ending.kind === 'reported') {
      if (ending.status === 'Succeeded') return { status: 'Succeeded' };
      // Its own controller, so the grace timer ends with the race instead of lasting the deployment.
      const grace = childController(signal);
      const output = await Promise.race([
        invocation.then((result) => result.output),
        sleep(LOG_GRACE_MS, grace.signal).then(() => undefined),
      ]);
      grace.abort();
      return hookFailure(
        'ScriptFailed',
        functionName,
        `The hook function ${functionName} reported Failed for ${event}.`,
        output,
      );
    }
    if (ending.kind === 'aborted') {
      invocationControl.abort();
      // On a shutdown the execution stays open, as a crash leaves it; the next start closes it.
      if (!this.closing) hooks.complete(this.record, id, 'Failed');
      return { status: 'Aborted' };
    }
    hooks.complete(this.record, id, 'Failed');
    if (ending.kind === 'timeout') {
      invocationControl.abort();
      return {
        status: 'Failed',
        failure: { code: 'TIMEOUT', message: MESSAGES.HOOK_TIMED_OUT },
        diagnostics: {
          errorCode: 'ScriptTimedOut',
          scriptName: functionName,
          message: `The hook function ${functionName} did not report a status for ${event} (PutLifecycleEventHookExecutionStatus) within ${HOOK_TIMEOUT_MINUTES} minutes.`,
          logTail: '',
        },
      };
    }
    return hookFailure(
      'ScriptFailed',
      functionName,
      `Invoking the hook function ${functionName} for ${event} failed: ${ending.error}`,
      ending.output,
    );
  }

  /**
   * ECS with deploymentReadyOption STOP_DEPLOYMENT: the deployment is Ready (and so is its target)
   * until ContinueDeployment(READY_WAIT), and Stopped when the wait time passes first.
   */
  private async readyWait(): Promise<TrafficOutcome | undefined> {
    if (this.traffic.appspec.platform !== 'ECS' || this.traffic.rollback) return undefined;
    const wait = readyWaitOf(this.context.group?.blueGreenDeploymentConfiguration);
    if (wait.kind === 'none') return undefined;
    this.setStatus('Ready');
    this.context.log(`${this.deploymentId}: Ready`);
    const end = await this.context.waits.wait(
      this.deploymentId,
      'READY_WAIT',
      wait.timeoutMinutes * this.context.minuteMs,
      this.context.signal,
    );
    if (end === 'aborted') return { kind: 'aborted' };
    if (end === 'timedOut') {
      return { kind: 'timed-out', code: 'TIMEOUT', message: readyWaitTimedOutMessage(wait.timeoutMinutes) };
    }
    this.setStatus('InProgress');
    return undefined;
  }

  private end(outcome: TrafficOutcome): TrafficOutcome {
    this.endTarget('Failed');
    return outcome;
  }

  /** The server is closing under the run (not a stop or an alarm). */
  private get closing(): boolean {
    return this.context.signal.reason === SERVER_CLOSING;
  }

  /** The signal ended the run: the target fails, unless the server is closing (see SERVER_CLOSING). */
  private aborted(): TrafficOutcome {
    return this.closing ? { kind: 'aborted' } : this.end({ kind: 'aborted' });
  }

  /** Ends the target: the event that was running failed, the ones that never ran are Skipped. */
  private endTarget(status: 'Succeeded' | 'Failed'): void {
    this.context.store.update(() => {
      const now = this.context.now();
      for (const event of this.target.lifecycleEvents ?? []) {
        if (event.status === 'Pending') {
          event.status = 'Skipped';
          event.endTime = now;
        } else if (event.status === 'InProgress') {
          event.status = 'Failed';
          event.endTime = now;
        }
      }
      this.target.status = status;
      this.target.lastUpdatedAt = now;
      this.record.info.deploymentOverview = overviewOf(this.record.targets);
    });
  }

  private setTarget(status: 'InProgress' | 'Ready'): void {
    this.context.store.update(() => {
      this.target.status = status;
      this.target.lastUpdatedAt = this.context.now();
      this.record.info.deploymentOverview = overviewOf(this.record.targets);
    });
  }

  /** Ready and back: the deployment and its target change together. */
  private setStatus(status: 'InProgress' | 'Ready'): void {
    this.context.store.update(() => {
      this.record.info.status = status;
    });
    this.setTarget(status);
  }

  private updateEvent(event: LifecycleEvent, patch: Partial<LifecycleEvent>): void {
    this.context.store.update(() => {
      Object.assign(event, patch);
      this.target.lastUpdatedAt = this.context.now();
    });
  }

  private touch(): void {
    this.context.store.update(() => {
      this.target.lastUpdatedAt = this.context.now();
    });
  }
}

function hookFailure(
  errorCode: Diagnostics['errorCode'],
  functionName: string,
  message: string,
  output?: string,
): EventResult {
  return {
    status: 'Failed',
    failure: { code: 'HOOK_EXECUTION_FAILURE', message: MESSAGES.HOOK_FAILED },
    // The runner's output is already its last 4 KB, cut at a character boundary: the service keeps
    // "up to the last 4 KB of the diagnostic log".
    diagnostics: { errorCode, scriptName: functionName, message, logTail: output ?? '' },
  };
}
