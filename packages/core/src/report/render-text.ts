import { failedEvents } from './build.js';
import { formatDuration, maskedNote, trafficSummary } from './format.js';
import type { DeploymentReport, GateReport } from './model.js';

/**
 * How a front end marks up the text report: ANSI colours on a terminal, nothing in a plain log. The
 * renderer calls these as methods (`style.red(...)`), so a class instance with a colour switch fits.
 */
export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const unchanged = (text: string) => text;

/** No markup at all: for logs and files. */
export const PLAIN_TEXT: TextStyle = {
  bold: unchanged,
  dim: unchanged,
  red: unchanged,
  green: unchanged,
  yellow: unchanged,
};

/**
 * What people read when the gate is done: a row per target (status, time, the failed event), each
 * failure's error code, script and log tail, the deployment's error, the rollback, the console link,
 * and the verdict last, where the eye lands.
 */
export function renderTextReport(report: GateReport, style: TextStyle = PLAIN_TEXT): string {
  const out: string[] = [];
  out.push(...deploymentSection(report.deployment, style));
  if (report.rollback) {
    out.push('', style.bold(`rollback ${report.rollback.id}: ${report.rollback.status}`));
    out.push(...deploymentSection(report.rollback, style));
  }
  if (report.deployment.consoleUrl) out.push('', style.dim(`console: ${report.deployment.consoleUrl}`));
  const masked = maskedNote(report.maskedValues);
  if (masked !== '') out.push(style.dim(masked));
  const mark =
    report.verdict === 'succeeded' || report.verdict === 'created'
      ? style.green(`✓ ${report.summary}`)
      : style.red(`✗ ${report.summary}`);
  out.push(mark);
  return out.join('\n');
}

/** One deployment without a verdict (a status look at a deployment the gate did not watch). */
export function renderTextDeployment(d: DeploymentReport, style: TextStyle = PLAIN_TEXT): string {
  const head = `${style.bold(d.id)} ${d.application}/${d.deploymentGroup}: ${d.status}${d.durationMs !== undefined ? ` (${formatDuration(d.durationMs)})` : ''}`;
  return [
    head,
    `revision ${d.revision}`,
    ...deploymentSection(d, style),
    ...(d.consoleUrl ? ['', style.dim(`console: ${d.consoleUrl}`)] : []),
  ].join('\n');
}

function deploymentSection(d: DeploymentReport, style: TextStyle): string[] {
  const out: string[] = [];
  if (d.targets.length > 0) out.push(targetsTable(d, style));
  for (const { target, event } of failedEvents(d)) {
    const diagnostics = event.diagnostics ?? {};
    out.push(
      '',
      style.red(
        `${target.id}: ${event.name} failed${diagnostics.errorCode ? ` (${diagnostics.errorCode})` : ''}${diagnostics.scriptName ? ` in ${diagnostics.scriptName}` : ''}`,
      ),
    );
    if (diagnostics.message) out.push(`  ${diagnostics.message}`);
    if (diagnostics.logTail) {
      out.push('  log tail:');
      out.push(
        ...diagnostics.logTail
          .trimEnd()
          .split('\n')
          .map((line) => `  | ${line}`),
      );
    }
  }
  // A failed target's row shows its failure; where its traffic ended matters as much.
  for (const target of d.targets) {
    const traffic = trafficSummary(target);
    if (traffic !== undefined && target.events.some((e) => e.status === 'Failed')) {
      out.push(style.dim(`${target.id} traffic: ${traffic}`));
    }
  }
  if (d.error) out.push('', style.red(`deployment error ${d.error.code}: ${d.error.message}`));
  if (d.rollbackMessage) out.push(style.dim(d.rollbackMessage));
  return out;
}

function targetsTable(d: DeploymentReport, style: TextStyle): string {
  const rows = d.targets.map((t) => {
    const failed = t.events.find((e) => e.status === 'Failed');
    const starts = t.events.map((e) => e.startTime).filter((s): s is string => s !== undefined);
    const ends = t.events.map((e) => e.endTime).filter((s): s is string => s !== undefined);
    const first = starts[0];
    const last = ends[ends.length - 1];
    const time = first && last ? formatDuration(Date.parse(last) - Date.parse(first)) : '';
    return {
      target: t.id,
      status: t.status,
      time,
      detail: failed
        ? `${failed.name}: ${failed.diagnostics?.errorCode ?? ''} ${failed.diagnostics?.message ?? ''}`.trim()
        : (trafficSummary(t) ?? ''),
    };
  });
  const header = { target: 'target', status: 'status', time: 'time', detail: '' };
  const width = (key: 'target' | 'status' | 'time') =>
    Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const line = (r: typeof header) =>
    `${r.target.padEnd(width('target'))}  ${r.status.padEnd(width('status'))}  ${r.time.padStart(width('time'))}  ${r.detail}`.trimEnd();
  const colour = (status: string, text: string) =>
    status === 'Succeeded' ? style.green(text) : status === 'Failed' ? style.red(text) : text;
  return [style.dim(line(header)), ...rows.map((r) => colour(r.status, line(r)))].join('\n');
}
