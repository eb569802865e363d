import type { TargetReport, Verdict } from './model.js';

/**
 * `0.4s`, `12.3s`, `2m 05s`, `1h 04m`: the gate's summary style, with tenths under a minute because
 * lifecycle events often take less than a second.
 */
export function formatDuration(ms: number): string {
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** How a verdict reads after the deployment's name: "my-app/prod: deployment failed". */
export const VERDICT_PHRASE: Record<Verdict, string> = {
  succeeded: 'deployment succeeded',
  failed: 'deployment failed',
  stopped: 'deployment stopped',
  'timed-out': 'gate timed out',
  cancelled: 'gate cancelled',
  created: 'deployment created',
};

/**
 * `2 values masked: …`, how every report says that it replaced what looked like credentials; empty
 * when nothing was masked.
 */
export function maskedNote(count: number): string {
  if (count === 0) return '';
  return `${count} value${count === 1 ? '' : 's'} masked: what looked like a credential is shown as ***`;
}

/**
 * Script output as a person should read it in a report: colour and cursor escapes removed (hooks
 * often print them for terminals), line ends normalised, and other control characters dropped (XML
 * 1.0 forbids them and Markdown shows them as boxes).
 */
export function plainLog(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

/**
 * A target's traffic for a final report: `version 3 → 4, 100% on 4 (step 2 of 2, canary 10% then 100%
 * after 5m)`; undefined for targets without traffic (instances).
 */
export function trafficSummary(target: TargetReport): string | undefined {
  const shift = target.trafficShift;
  const details = [
    shift?.step !== undefined && shift.steps !== undefined
      ? `step ${shift.step} of ${shift.steps}`
      : undefined,
    shift?.config,
  ].filter((part) => part !== undefined);
  const base = target.traffic ?? (shift === undefined ? undefined : `${shift.percent}% shifted`);
  if (base === undefined) return undefined;
  return details.length > 0 ? `${base} (${details.join(', ')})` : base;
}
