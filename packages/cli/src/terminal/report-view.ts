import { type DeploymentReport, failedEvents, formatDuration, type GateReport } from '@codedeploy-gate/core';
import type { Output } from './output.js';

/**
 * What people read when the gate is done: a row per target (status, time, the failed event), each
 * failure's error code, script and log tail, the deployment's error, the rollback, the console link,
 * and the verdict last, where the eye lands.
 */
export function renderReport(report: GateReport, output: Output): string {
  const out: string[] = [];
  out.push(...deploymentSection(report.deployment, output));
  if (report.rollback) {
    out.push('', output.bold(`rollback ${report.rollback.id}: ${report.rollback.status}`));
    out.push(...deploymentSection(report.rollback, output));
  }
  out.push('', output.dim(`console: ${report.deployment.consoleUrl}`));
  const mark =
    report.verdict === 'succeeded' || report.verdict === 'created'
      ? output.green(`✓ ${report.summary}`)
      : output.red(`✗ ${report.summary}`);
  out.push(mark);
  return out.join('\n');
}

/** One deployment without a verdict (the `status` command). */
export function renderDeployment(d: DeploymentReport, output: Output): string {
  const head = `${output.bold(d.id)} ${d.application}/${d.deploymentGroup}: ${d.status}${d.durationMs !== undefined ? ` (${formatDuration(d.durationMs)})` : ''}`;
  return [
    head,
    `revision ${d.revision}`,
    ...deploymentSection(d, output),
    '',
    output.dim(`console: ${d.consoleUrl}`),
  ].join('\n');
}

function deploymentSection(d: DeploymentReport, output: Output): string[] {
  const out: string[] = [];
  if (d.targets.length > 0) out.push(targetsTable(d, output));
  for (const { target, event } of failedEvents(d)) {
    const diagnostics = event.diagnostics ?? {};
    out.push(
      '',
      output.red(
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
  if (d.error) out.push('', output.red(`deployment error ${d.error.code}: ${d.error.message}`));
  if (d.rollbackMessage) out.push(output.dim(d.rollbackMessage));
  return out;
}

function targetsTable(d: DeploymentReport, output: Output): string {
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
        : (t.traffic ?? ''),
    };
  });
  const header = { target: 'target', status: 'status', time: 'time', detail: '' };
  const width = (key: 'target' | 'status' | 'time') =>
    Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const line = (r: typeof header) =>
    `${r.target.padEnd(width('target'))}  ${r.status.padEnd(width('status'))}  ${r.time.padStart(width('time'))}  ${r.detail}`.trimEnd();
  const colour = (status: string, text: string) =>
    status === 'Succeeded' ? output.green(text) : status === 'Failed' ? output.red(text) : text;
  return [output.dim(line(header)), ...rows.map((r) => colour(r.status, line(r)))].join('\n');
}
