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
} from '@codedeploy-gate/core';
import type { Output } from './output.js';
import { formatBytes, ProgressThrottle } from './progress.js';

/**
 * Live progress of a deployment. On a terminal: a compact block redrawn in place (counters, elapsed,
 * one line per target with its lifecycle position). In a CI log: one line per change — a counters
 * line when the status or counters move, a line per lifecycle event that started or ended — and never
 * a line for a poll that saw nothing new.
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
        o.line(`→ ${event.action.detail}`);
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
        o.line(o.yellow(event.detail));
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
    if (this.output.interactive) {
      this.redraw();
      this.timer ??= setInterval(() => this.redraw(), 1_000).unref();
      return;
    }
    for (const change of this.changeLog.changes(role, snapshot)) this.output.line(this.changeLine(change));
  }

  /** `[1:05] d-… InProgress: …` for counters, `  web-1   ✓ Install Succeeded 2.1 s` for an event. */
  private changeLine(change: DeploymentChange): string {
    const o = this.output;
    if (change.kind === 'counters') {
      const prefix = change.role === 'rollback' ? 'rollback ' : '';
      return `[${this.elapsed()}] ${prefix}${change.deploymentId} ${change.text}`;
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
    const lines = [header, ...snapshot.targets.slice(0, 20).map((t) => targetLine(t, o))];
    if (snapshot.targets.length > 20) lines.push(o.dim(`  … ${snapshot.targets.length - 20} more targets`));
    o.block(lines);
  }

  private elapsed(): string {
    const seconds = Math.floor((this.now() - this.startedAt) / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
}

/** `name  ✓ Succeeded  [9/9] ValidateService` — where a target is in its lifecycle. */
function targetLine(target: DeploymentTarget, o: Output): string {
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
  return `  ${targetIdOf(target).padEnd(24)} ${mark} ${status.padEnd(10)} ${position}`.trimEnd();
}
