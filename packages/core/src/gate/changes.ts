import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { TrafficShift } from '../report/model.js';
import { trafficShiftOf, trafficShiftText } from '../report/traffic.js';
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
    }
  /**
   * Production traffic on a Lambda or ECS target moved. `text` is the line to print after the target:
   * `traffic 10% → version 7 (step 1 of 2, canary 10% then 100% after 5m)`,
   * `traffic Green 20% / Blue 80% (step 2 of 10, linear 10% every 1m)`.
   */
  | {
      kind: 'traffic';
      role: DeploymentRole;
      deploymentId: string;
      target: string;
      shift: TrafficShift;
      text: string;
    };

/**
 * Turns the snapshots of a watch into what changed since the last one, so a log gets a line per
 * change and none for a poll that saw nothing new. It remembers what it has reported; use one per
 * gate.
 */
export class DeploymentChangeLog {
  private readonly seenEvents = new Map<string, string>();
  private readonly lastCounters = new Map<string, string>();
  private readonly lastTraffic = new Map<string, number>();

  /**
   * The changes in `snapshot` not reported before: its counters first, then per target its events in
   * order and its traffic share when that moved. A first share of 0% is not news (nothing shifted yet).
   */
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
      const shift = trafficShiftOf(target, snapshot.trafficRouting);
      if (shift !== undefined) {
        const key = `${deploymentId}/${targetId}`;
        const before = this.lastTraffic.get(key) ?? 0;
        this.lastTraffic.set(key, shift.percent);
        if (shift.percent !== before) {
          // After the AllowTraffic line of this look, if any: that is the event that moved it.
          const allowTraffic = out.findLastIndex(
            (c) => c.kind === 'event' && c.target === targetId && c.event === 'AllowTraffic',
          );
          out.splice(allowTraffic < 0 ? out.length : allowTraffic + 1, 0, {
            kind: 'traffic',
            role,
            deploymentId,
            target: targetId,
            shift,
            text: trafficShiftText(target, shift),
          });
        }
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
