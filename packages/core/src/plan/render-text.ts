import { formatDuration } from '../report/format.js';
import { PLAIN_TEXT, type TextStyle } from '../report/render-text.js';
import type {
  AppspecChange,
  DeploymentPlan,
  FileChange,
  PlanFinding,
  Safeguards,
  SettingChange,
} from './model.js';

const FILE_MARK: Record<FileChange['change'], string> = { added: '+', removed: '-', changed: '~' };
const FINDING_MARK: Record<PlanFinding['severity'], string> = { blocking: '✗', warning: '!', note: '·' };

/** The plan for a terminal or a log: sections in the order a reviewer asks their questions. */
export function renderTextPlan(plan: DeploymentPlan, style: TextStyle = PLAIN_TEXT): string {
  const out: string[] = [];
  out.push(
    style.bold(
      `Plan for ${plan.application}/${plan.deploymentGroup} (${plan.computePlatform}, ${plan.region})`,
    ),
  );
  out.push('', style.bold('Revision'), ...revisionLines(plan));
  if (plan.live) {
    out.push('', style.bold(`Live revision (${plan.live.deploymentId})`), `  ${plan.live.location}`);
    if (plan.live.bytesDownloaded !== undefined && plan.live.size) {
      out.push(
        style.dim(
          `  listed from ${formatSize(plan.live.bytesDownloaded)} of ${formatSize(plan.live.size)} (${percent(plan.live.bytesDownloaded, plan.live.size)})`,
        ),
      );
    }
  }
  if (plan.files) {
    const f = plan.files;
    out.push(
      '',
      style.bold(
        `Files: ${f.added} added, ${f.removed} removed, ${f.changed} changed, ${f.unchanged} unchanged`,
      ),
    );
    const width = Math.max(0, ...f.entries.map((e) => e.path.length));
    for (const entry of f.entries)
      out.push(`  ${FILE_MARK[entry.change]} ${entry.path.padEnd(width)}  ${fileDetail(entry)}`);
  }
  if (plan.appspec) {
    out.push(
      '',
      style.bold(`AppSpec: ${plan.appspec.length === 0 ? 'unchanged' : `${plan.appspec.length} change(s)`}`),
    );
    for (const change of plan.appspec) out.push(`  ${appspecLine(change)}`);
  }
  if (plan.rollout) {
    const r = plan.rollout;
    out.push(
      '',
      style.bold(
        `Rollout: ${r.deploymentConfig}, ${r.targets} instance(s), ${r.minimumHealthy} must stay healthy, ${r.batchSize} at a time`,
      ),
    );
    out.push(style.dim(`  targets: ${r.targetSource}`));
    r.batches.forEach((batch, index) => {
      out.push(
        `  batch ${String(index + 1).padStart(2)}  ${batch.map((t) => `${t.id} (${t.standing})`).join(', ')}`,
      );
    });
    out.push(`  ${r.failsWhen}`);
  }
  if (plan.compute) {
    const c = plan.compute;
    out.push('', style.bold(`${c.kind === 'lambda' ? 'Lambda' : 'ECS'} ${c.target}: ${c.from} → ${c.to}`));
    if (c.loadBalancer) out.push(`  load balancer → container ${c.loadBalancer}`);
    if (c.changes.length === 0) out.push('  no configuration change');
    for (const change of c.changes) out.push(`  ${settingLine(change)}`);
  }
  if (plan.traffic) {
    const t = plan.traffic;
    out.push('', style.bold(`Traffic: ${t.deploymentConfig} (${t.type}): ${t.description}`));
    for (const step of t.steps)
      out.push(`  +${String(step.atMinutes).padStart(3)} min  ${step.percent} % on the new version`);
    for (const wait of t.waits) out.push(`  ${wait}`);
  }
  if (plan.safeguards) out.push('', ...safeguardLines(plan.safeguards));
  if (plan.findings.length > 0) {
    out.push('', style.bold('Findings'));
    for (const finding of plan.findings) {
      const line = `  ${FINDING_MARK[finding.severity]} ${finding.severity}: ${finding.message}`;
      out.push(
        finding.severity === 'blocking'
          ? style.red(line)
          : finding.severity === 'warning'
            ? style.yellow(line)
            : line,
      );
      if (finding.hint) out.push(style.dim(`    hint: ${finding.hint}`));
    }
  }
  out.push('', plan.blocking ? style.red(`✗ ${planVerdict(plan)}`) : style.green(`✓ ${planVerdict(plan)}`));
  return out.join('\n');
}

/** The one-line verdict every rendering ends with. */
export function planVerdict(plan: DeploymentPlan): string {
  const blocking = plan.findings.filter((f) => f.severity === 'blocking').length;
  return blocking > 0
    ? `${blocking} finding(s) would stop this deployment to ${plan.application}/${plan.deploymentGroup}; nothing was changed`
    : `nothing blocks this deployment to ${plan.application}/${plan.deploymentGroup}; nothing was changed`;
}

export function revisionLines(plan: DeploymentPlan): string[] {
  const r = plan.revision;
  const facts = [
    r.bundleType,
    r.size === undefined ? undefined : formatSize(r.size),
    r.files === undefined ? undefined : `${r.files} files`,
  ].filter(Boolean);
  const lines = [`  ${r.location}${facts.length > 0 ? `  (${facts.join(', ')})` : ''}`];
  if (r.sha256) lines.push(`  sha256 ${r.sha256}`);
  // Unknown when a refused read stopped the plan before it looked.
  if (r.kind === 'folder' && r.alreadyInS3 !== undefined) {
    lines.push(
      r.alreadyInS3
        ? '  already in S3 with this sha256: deploy would upload nothing'
        : '  not in S3 yet: deploy would upload and register it',
    );
  }
  return lines;
}

export function fileDetail(entry: FileChange): string {
  const mode = (value: number | undefined) => (value ? value.toString(8).padStart(4, '0') : '');
  if (entry.change === 'added') return `${formatSize(entry.size ?? 0)} ${mode(entry.mode)}`.trim();
  if (entry.change === 'removed')
    return `was ${formatSize(entry.previousSize ?? 0)} ${mode(entry.previousMode)}`.trim();
  const parts = [
    entry.previousSize === entry.size
      ? `${formatSize(entry.size ?? 0)}, content`
      : `${formatSize(entry.previousSize ?? 0)} → ${formatSize(entry.size ?? 0)}`,
  ];
  if (entry.previousMode !== entry.mode) parts.push(`mode ${mode(entry.previousMode)} → ${mode(entry.mode)}`);
  return parts.join(', ');
}

export function appspecLine(change: AppspecChange): string {
  const mark = change.change === 'added' ? '+' : change.change === 'removed' ? '-' : '~';
  return `${mark} ${change.area} ${change.subject}: ${change.detail}`;
}

export function settingLine(change: SettingChange): string {
  const mark = change.change === 'added' ? '+' : change.change === 'removed' ? '-' : '~';
  return `${mark} ${change.subject}: ${change.detail}`;
}

export function safeguardLines(safeguards: Safeguards): string[] {
  return [
    `Auto-rollback: ${safeguards.autoRollback}`,
    `Alarms: ${safeguards.alarms.length > 0 ? safeguards.alarms.join(', ') : 'none watched'}`,
    safeguards.expectedDurationMs === undefined
      ? 'Expected duration: unknown (no successful deployment yet)'
      : `Expected duration: about ${formatDuration(safeguards.expectedDurationMs)} (median of the last ${safeguards.durationFrom} successful deployments)`,
  ];
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}
