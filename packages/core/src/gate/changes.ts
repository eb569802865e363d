import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { lifecycleEventsOf, targetIdOf } from './reads.js';
import type { DeploymentSnapshot } from './watch.js';

/** Which deployment of a gate a change belongs to: the one it created, or the rollback of it. */
export type DeploymentRole = 'deployment' | 'rollback';

/** Something a log of a watched deployment should get a line for. */
export type DeploymentChange =
  /** The deployment's status or counters moved; `text` is what `countersText` says now. */
  | { kind: 'counters'; role: DeploymentRole; deploymentId: string; text: string }
  /** A lifecycle event of a target started (InProgress) or ended (Succeeded, Failed, ...). */
  | {
      kind: 'event';
      role: DeploymentRole;
      deploymentId: string;
      target: string;
      event: string;
      status: string;
      /** How long the event ran, when the service gave both its start and its end. */
      seconds?: number;
    };

/**
 * Turns the snapshots of a watch into what changed since the last one, so a log gets a line per
 * change and none for a poll that saw nothing new. It remembers what it has reported; use one per
 * gate.
 */
export class DeploymentChangeLog {
  private readonly seenEvents = new Map<string, string>();
  private readonly lastCounters = new Map<string, string>();

  /** The changes in `snapshot` not reported before: its counters first, then its events in order. */
  changes(role: DeploymentRole, snapshot: DeploymentSnapshot): DeploymentChange[] {
    const deploymentId = snapshot.deployment.deploymentId ?? '';
    const out: DeploymentChange[] = [];
    const text = countersText(snapshot.deployment);
    if (this.lastCounters.get(deploymentId) !== text) {
      this.lastCounters.set(deploymentId, text);
      out.push({ kind: 'counters', role, deploymentId, text });
    }
    for (const target of snapshot.targets) {
      const targetId = targetIdOf(target);
      for (const event of lifecycleEventsOf(target)) {
        const name = event.lifecycleEventName ?? '';
        const key = `${deploymentId}/${targetId}/${name}`;
        const status = event.status ?? 'Pending';
        // Skipped events add nothing the final report does not say.
        if (status === 'Pending' || status === 'Skipped' || this.seenEvents.get(key) === status) continue;
        this.seenEvents.set(key, status);
        out.push({
          kind: 'event',
          role,
          deploymentId,
          target: targetId,
          event: name,
          status,
          ...(event.startTime && event.endTime
            ? { seconds: (event.endTime.getTime() - event.startTime.getTime()) / 1000 }
            : {}),
        });
      }
    }
    return out;
  }
}

/** `InProgress: 1 succeeded, 1 in progress, 0 pending, 0 failed` — a deployment's status and counters. */
export function countersText(d: DeploymentInfo): string {
  const c = d.deploymentOverview ?? {};
  const parts = [
    `${c.Succeeded ?? 0} succeeded`,
    `${c.InProgress ?? 0} in progress`,
    `${c.Pending ?? 0} pending`,
    `${c.Failed ?? 0} failed`,
  ];
  if (c.Skipped) parts.push(`${c.Skipped} skipped`);
  if (c.Ready) parts.push(`${c.Ready} ready`);
  return `${d.status ?? '?'}: ${parts.join(', ')}`;
}
