import type { DeploymentPlan } from './model.js';
import {
  appspecLine,
  fileDetail,
  formatSize,
  percent,
  planVerdict,
  revisionLines,
  safeguardLines,
  settingLine,
} from './render-text.js';

const MAX_FILE_ROWS = 200;

/** Markdown for a job summary, a pull-request comment or a file beside the reports. */
export function renderMarkdownPlan(plan: DeploymentPlan): string {
  const out: string[] = [];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  out.push(
    `### ${plan.blocking ? '✗' : '✓'} Deployment plan: ${plan.application}/${plan.deploymentGroup}`,
    '',
  );
  out.push(planVerdict(plan), '');
  out.push('**Revision**', '', '```', ...revisionLines(plan).map((l) => l.trim()), '```', '');
  if (plan.live) {
    const cost =
      plan.live.bytesDownloaded !== undefined && plan.live.size
        ? ` (listed from ${formatSize(plan.live.bytesDownloaded)} of ${formatSize(plan.live.size)}, ${percent(plan.live.bytesDownloaded, plan.live.size)})`
        : '';
    out.push(`**Live revision** \`${plan.live.deploymentId}\`: \`${plan.live.location}\`${cost}`, '');
  }
  if (plan.files) {
    const f = plan.files;
    out.push(
      `**Files**: ${f.added} added, ${f.removed} removed, ${f.changed} changed, ${f.unchanged} unchanged`,
      '',
    );
    if (f.entries.length > 0) {
      out.push('| | Path | Size, mode |', '|---|---|---|');
      for (const entry of f.entries.slice(0, MAX_FILE_ROWS)) {
        out.push(`| ${entry.change} | \`${cell(entry.path)}\` | ${cell(fileDetail(entry))} |`);
      }
      if (f.entries.length > MAX_FILE_ROWS)
        out.push('', `… and ${f.entries.length - MAX_FILE_ROWS} more (see the JSON plan)`);
      out.push('');
    }
  }
  if (plan.appspec) {
    out.push(`**AppSpec**: ${plan.appspec.length === 0 ? 'unchanged' : ''}`, '');
    for (const change of plan.appspec) out.push(`- ${cell(appspecLine(change))}`);
    if (plan.appspec.length > 0) out.push('');
  }
  if (plan.rollout) {
    const r = plan.rollout;
    out.push(
      `**Rollout**: ${r.deploymentConfig}, ${r.targets} instance(s), ${r.minimumHealthy} must stay healthy, ${r.batchSize} at a time`,
      '',
    );
    if (r.batches.length > 0) {
      out.push('| Batch | Instances |', '|---|---|');
      r.batches.forEach((batch, index) => {
        out.push(`| ${index + 1} | ${batch.map((t) => `${cell(t.id)} (${t.standing})`).join(', ')} |`);
      });
      out.push('');
    }
    out.push(`${r.failsWhen}. Targets: ${r.targetSource}.`, '');
  }
  if (plan.compute) {
    const c = plan.compute;
    out.push(`**${c.kind === 'lambda' ? 'Lambda' : 'ECS'}** \`${c.target}\`: ${c.from} → ${c.to}`, '');
    if (c.loadBalancer) out.push(`- load balancer → container \`${c.loadBalancer}\``);
    for (const change of c.changes) out.push(`- ${cell(settingLine(change))}`);
    out.push('');
  }
  if (plan.traffic) {
    const t = plan.traffic;
    out.push(`**Traffic**: ${t.deploymentConfig}: ${t.description}`, '');
    if (t.steps.length > 1) {
      out.push('| After | On the new version |', '|---|---|');
      for (const step of t.steps) out.push(`| ${step.atMinutes} min | ${step.percent} % |`);
      out.push('');
    }
    for (const wait of t.waits) out.push(`- ${cell(wait)}`);
    if (t.waits.length > 0) out.push('');
  }
  if (plan.safeguards) out.push(...safeguardLines(plan.safeguards).map((line) => `- ${cell(line)}`), '');
  if (plan.findings.length > 0) {
    out.push('**Findings**', '');
    for (const finding of plan.findings) {
      out.push(
        `- **${finding.severity}**: ${cell(finding.message)}${finding.hint ? ` — ${cell(finding.hint)}` : ''}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
