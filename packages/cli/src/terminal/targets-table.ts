import type { DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { Output } from './output.js';

/**
 * The per-instance result people look at after a deployment: one row per instance with its status,
 * how long it took and, for a failure, the lifecycle event, error code and message, followed by the
 * failing script's log tail.
 */
export function renderTargetsTable(targets: DeploymentTarget[], output: Output): string {
  const rows = targets
    .map((t) => t.instanceTarget)
    .filter((t) => t !== undefined)
    .map((t) => {
      const events = t.lifecycleEvents ?? [];
      const failed = events.find((e) => e.status === 'Failed');
      const started = events.find((e) => e.startTime)?.startTime;
      const ended = [...events].reverse().find((e) => e.endTime)?.endTime;
      const seconds =
        started && ended ? `${((ended.getTime() - started.getTime()) / 1000).toFixed(1)} s` : '';
      return {
        instance: t.targetId ?? '?',
        status: t.status ?? '?',
        time: seconds,
        detail: failed
          ? `${failed.lifecycleEventName}: ${failed.diagnostics?.errorCode ?? ''} ${failed.diagnostics?.message ?? ''}`.trim()
          : '',
        logTail: failed?.diagnostics?.logTail ?? '',
      };
    });
  const header = { instance: 'instance', status: 'status', time: 'time', detail: 'failed event' };
  const width = (key: 'instance' | 'status' | 'time') =>
    Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const line = (r: { instance: string; status: string; time: string; detail: string }) =>
    `${r.instance.padEnd(width('instance'))}  ${r.status.padEnd(width('status'))}  ${r.time.padStart(width('time'))}  ${r.detail}`.trimEnd();
  const colour = (status: string, text: string) =>
    status === 'Succeeded' ? output.green(text) : status === 'Failed' ? output.red(text) : text;
  const out = [line(header)];
  for (const row of rows) out.push(colour(row.status, line(row)));
  for (const row of rows.filter((r) => r.logTail)) {
    out.push('', `log tail of ${row.instance} (${row.detail.split(':')[0]}):`);
    out.push(
      ...row.logTail
        .trimEnd()
        .split('\n')
        .map((l) => `  | ${l}`),
    );
  }
  return out.join('\n');
}
