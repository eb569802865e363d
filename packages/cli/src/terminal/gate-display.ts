import type { DeploymentTarget } from '@aws-sdk/client-codedeploy';
import {
  countersText,
  type DeployEvent,
  type DeploymentChange,
  DeploymentChangeLog,
  type DeploymentSnapshot,
  lifecycleEventsOf,
  targetIdOf,
  targetStatusOf,
} from '@codedeploy-gate/core/gate';
import { type GateAction, trafficShiftOf } from '@codedeploy-gate/core/report';
import { noticeLine } from './notices.js';
import type { Output } from './output.js';
import { formatBytes, ProgressThrottle } from './progress.js';

/**
 * Live progress of a deployment. Everywhere: a line per lifecycle event that started or ended and a
 * line each time production traffic moves, as it happens, and never a line for a poll that saw nothing
 * new. On a terminal, below those lines, a compact block redrawn in place (counters, elapsed, one line
 * per target with its lifecycle position and, for Lambda and ECS, its traffic); in a CI log, a counters
 * line when the status or counters move instead. Either way, what the gate does is printed as it happens: the revision it built
 * (published version, registered task definition), the verification in a blue/green wait with its
 * output and verdict, ContinueDeployment and StopDeployment.
 */
export class GateDisplay {
  private readonly changeLog = new DeploymentChangeLog();
  private latest: { role: string; snapshot: DeploymentSnapshot } | undefined;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly throttle: ProgressThrottle;
  private pushStage: string | undefined;

  constructor(
    private readonly output: Output,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.throttle = new ProgressThrottle(output);
  }

  handle(event: DeployEvent): void {
    const o = this.output;
    switch (event.type) {
      case 'checking':
        o.line(o.dim(`checking ${event.detail}`));
        return;
      case 'revision':
        o.line(`revision: ${event.detail}`);
        return;
      case 'push':
        this.push(event.progress);
        return;
      case 'queued':
        o.line(
          o.yellow(`the group is busy with ${event.activeDeploymentId}: waiting for it to end (--queue)`),
        );
        return;
      case 'uncertain':
        o.line(o.yellow(`warning: ${event.detail}`));
        return;
      case 'created':
        this.throttle.reset();
        o.line(
          `deployment ${o.bold(event.deploymentId)} ${event.adopted ? 'found again (its create answer was lost)' : 'created'}`,
        );
        return;
      case 'update':
        this.update(event.role, event.snapshot);
        return;
      case 'action':
        o.line(this.actionLine(event.action));
        return;
      case 'verification-output':
        o.line(o.dim(`  │ ${event.line}`));
        return;
      case 'poll-error':
        o.line(
          o.dim(
            `reading the deployment failed (${event.error.code ?? event.error.message}); next look in ${Math.ceil(event.retryInMs / 1000)} s`,
          ),
        );
        return;
      case 'waiting':
        o.line(o.yellow(`⏸ ${event.detail}`));
        return;
    }
  }

  /** Removes the live block, before the final result is printed. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.output.clearProgress();
  }

  private push(progress: Extract<DeployEvent, { type: 'push' }>['progress']): void {
    const o = this.output;
    if (progress.stage !== this.pushStage) {
      this.throttle.reset();
      this.pushStage = progress.stage;
      if (progress.stage === 'bundling') o.line(o.dim('packaging the revision'));
      if (progress.stage === 'uploading') o.line(o.dim(`uploading to ${progress.key}`));
      if (progress.stage === 'registering')
        o.line(o.dim(`registering the revision with ${progress.application}`));
      if (progress.stage === 'packaged') for (const notice of progress.notices) o.line(noticeLine(o, notice));
    }
    if (progress.stage === 'bundling') {
      this.throttle.update(
        'bundling',
        progress.bytesDone,
        progress.bytesTotal,
        () => `${progress.entriesDone}/${progress.entriesTotal} entries`,
      );
    } else if (progress.stage === 'uploading') {
      this.throttle.update(
        'uploading',
        progress.bytesDone,
        progress.bytesTotal,
        (d, t) => `${formatBytes(d)}/${formatBytes(t)}`,
      );
    }
  }

  private update(role: 'deployment' | 'rollback', snapshot: DeploymentSnapshot): void {
    this.latest = { role, snapshot };
    const interactive = this.output.interactive;
    for (const change of this.changeLog.changes(role, snapshot)) {
      // On a terminal the block carries the counters; the events scroll above it and stay on screen.
      if (interactive && change.kind === 'counters') continue;
      this.output.line(this.changeLine(change));
    }
    if (interactive) {
      this.redraw();
      this.timer ??= setInterval(() => this.redraw(), 1_000).unref();
    }
  }

  /** The verification's verdict stands out; what the gate asked of CodeDeploy reads as a step. */
  private actionLine(action: GateAction): string {
    const o = this.output;
    if (action.kind === 'verification-passed') return o.green(`✓ verification passed: ${action.detail}`);
    if (action.kind === 'verification-failed') return o.red(`✗ verification failed: ${action.detail}`);
    return `→ ${action.detail}`;
  }

  /**
   * `[1:05] d-… InProgress: …` for counters, `  web-1   ✓ Install Succeeded 2.1 s` for an event,
   * `  fn:live   ⇄ traffic 10% → version 7 (step 1 of 2, …) · 1:05` when traffic moved (when it
   * moved matters: the canary's interval shows between two such lines).
   */
  private changeLine(change: DeploymentChange): string {
    const o = this.output;
    if (change.kind === 'counters') {
      const prefix = change.role === 'rollback' ? 'rollback ' : '';
      return `[${this.elapsed()}] ${prefix}${change.deploymentId} ${change.text}`;
    }
    if (change.kind === 'traffic') {
      const prefix = change.role === 'rollback' ? 'rollback ' : '';
      return `  ${change.target.padEnd(24)} ⇄ ${prefix}${change.text} · ${this.elapsed()}`;
    }
    const { status } = change;
    const seconds = change.seconds !== undefined ? ` ${change.seconds.toFixed(1)} s` : '';
    const mark = status === 'Succeeded' ? o.green('✓') : status === 'Failed' ? o.red('✗') : '…';
    return `  ${change.target.padEnd(24)} ${mark} ${change.event}${status === 'InProgress' ? '' : ` ${status}${seconds}`}`;
  }

  private redraw(): void {
    if (!this.latest) return;
    const o = this.output;
    const { role, snapshot } = this.latest;
    const d = snapshot.deployment;
    const header = `${role === 'rollback' ? 'rollback ' : ''}${o.bold(d.deploymentId ?? '')} ${countersText(d)} · ${this.elapsed()}`;
    const lines = [
      header,
      ...snapshot.targets.slice(0, 20).map((t) => targetLine(t, snapshot.trafficRouting, o)),
    ];
    if (snapshot.targets.length > 20) lines.push(o.dim(`  … ${snapshot.targets.length - 20} more targets`));
    o.block(lines);
  }

  private elapsed(): string {
    const seconds = Math.floor((this.now() - this.startedAt) / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
}

/**
 * `name  ✓ Succeeded  [9/9] ValidateService` — where a target is in its lifecycle; a Lambda or ECS
 * target adds its traffic: `⇄ 10% shifted, step 1 of 2`.
 */
function targetLine(
  target: DeploymentTarget,
  routing: DeploymentSnapshot['trafficRouting'],
  o: Output,
): string {
  const status = targetStatusOf(target);
  const events = lifecycleEventsOf(target);
  const done = events.filter((e) => e.status === 'Succeeded').length;
  const current =
    events.find((e) => e.status === 'InProgress' || e.status === 'Failed') ??
    [...events].reverse().find((e) => e.status === 'Succeeded');
  const mark =
    status === 'Succeeded'
      ? o.green('✓')
      : status === 'Failed'
        ? o.red('✗')
        : status === 'InProgress'
          ? '…'
          : '·';
  const position = events.length > 0 ? `[${done}/${events.length}] ${current?.lifecycleEventName ?? ''}` : '';
  const shift = trafficShiftOf(target, routing);
  const traffic =
    shift === undefined
      ? ''
      : `  ⇄ ${shift.percent}% shifted${shift.step !== undefined && shift.steps !== undefined ? `, step ${shift.step} of ${shift.steps}` : ''}`;
  return `  ${targetIdOf(target).padEnd(24)} ${mark} ${status.padEnd(10)} ${position}${traffic}`.trimEnd();
}
