import { type GateReport, type ReportFiles, renderTextReport } from '@codedeploy-gate/core/report';
import type { Output } from '../terminal/output.js';
import { writeReports } from './gate-options.js';

/**
 * The end of `deploy` and `wait`: reports written (whatever the verdict: a failed, timed-out or
 * cancelled gate is exactly when people need them), the result shown, and the verdict's exit code.
 */
export async function finishGate(
  report: GateReport,
  files: ReportFiles,
  output: Output,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const written = await writeReports(report, files);
  if (output.json) {
    output.result({ ...report, ...extra });
  } else {
    output.line('');
    output.line(renderTextReport(report, output));
    for (const file of written) output.line(output.dim(`report: ${file}`));
  }
  return report.exitCode;
}
