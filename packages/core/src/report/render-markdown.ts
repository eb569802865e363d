import { failedEvents } from './build.js';
import { formatDuration, maskedNote, plainLog, trafficSummary, VERDICT_PHRASE } from './format.js';
import type {
  DeploymentCounts,
  DeploymentReport,
  GateReport,
  TargetReport,
  TargetType,
  Verdict,
} from './model.js';

const VERDICT_EMOJI: Record<Verdict, string> = {
  succeeded: '✅',
  failed: '❌',
  stopped: '❌',
  'timed-out': '⏱️',
  cancelled: '🛑',
  created: '🚀',
};

const STATUS_EMOJI: Record<string, string> = {
  Succeeded: '✅',
  Failed: '❌',
  Skipped: '⏭️',
  Pending: '⏳',
  InProgress: '🔄',
  Ready: '🟢',
};

/**
 * GitHub-flavoured Markdown for a job summary, a PR comment or a Jenkins build description: verdict
 * heading, key facts, what failed with its log, a table per target, a timeline, the rollback, and
 * what the gate did.
 */
export function renderMarkdownReport(report: GateReport): string {
  const deployment = report.deployment;
  const blocks: string[] = [
    `## ${VERDICT_EMOJI[report.verdict]} ${inline(`${deployment.application}/${deployment.deploymentGroup}`)}: ${VERDICT_PHRASE[report.verdict]}`,
    inline(report.summary),
    keyValueTable(deploymentFacts(deployment, report.rollback)),
    ...deploymentSections(deployment, report.generatedAt, 3),
  ];
  const rollback = report.rollback;
  if (rollback !== undefined) {
    blocks.push(
      `### ↩️ Rollback ${code(rollback.id)}`,
      keyValueTable(rollbackFacts(rollback)),
      ...deploymentSections(rollback, report.generatedAt, 4),
    );
  }
  if (report.actions.length > 0) {
    blocks.push(
      '### Gate actions',
      report.actions
        .map(
          (action) =>
            `- ${code(clock(action.at))} **${action.kind}**${action.detail ? ` ${inline(action.detail)}` : ''}`,
        )
        .join('\n'),
    );
  }
  const masked = maskedNote(report.maskedValues);
  blocks.push(
    masked === '' ? '' : `_${inline(masked)}_`,
    watchLine(report),
    deployment.consoleUrl
      ? `[Open ${inline(deployment.id)} in the AWS console](${deployment.consoleUrl})`
      : '',
  );
  return `${blocks.filter((block) => block !== '').join('\n\n')}\n`;
}

type Fact = [label: string, markdown: string];

function deploymentFacts(deployment: DeploymentReport, rollback: DeploymentReport | undefined): Fact[] {
  const facts: Fact[] = [
    ['Deployment', linked(deployment)],
    ['Application', inline(deployment.application)],
    ['Deployment group', inline(deployment.deploymentGroup)],
  ];
  if (deployment.deploymentConfig) facts.push(['Deployment config', inline(deployment.deploymentConfig)]);
  facts.push(...commonFacts(deployment));
  if (rollback !== undefined) facts.push(['Rollback', linked(rollback)]);
  if (deployment.rollbackMessage) facts.push(['Rollback message', inline(deployment.rollbackMessage)]);
  return facts;
}

function rollbackFacts(rollback: DeploymentReport): Fact[] {
  return [['Deployment', linked(rollback)], ...commonFacts(rollback)];
}

/** The deployment's id, linked to its console page when it has one. */
function linked(deployment: DeploymentReport): string {
  return deployment.consoleUrl ? `[${code(deployment.id)}](${deployment.consoleUrl})` : code(deployment.id);
}

function commonFacts(deployment: DeploymentReport): Fact[] {
  const facts: Fact[] = [
    ['Revision', code(deployment.revision)],
    ['Status', `${STATUS_EMOJI[deployment.status] ?? ''} ${inline(deployment.status)}`.trim()],
  ];
  if (deployment.durationMs !== undefined) facts.push(['Duration', formatDuration(deployment.durationMs)]);
  for (const target of deployment.targets) {
    const traffic = target.trafficShift === undefined ? undefined : trafficSummary(target);
    if (traffic !== undefined) facts.push(['Traffic', `${code(target.id)} ${inline(traffic)}`]);
  }
  const counts = countsText(deployment.overview);
  if (counts !== '') facts.push(['Targets', counts]);
  if (deployment.error !== undefined) {
    facts.push(['Error', `${code(deployment.error.code)} ${inline(deployment.error.message)}`.trim()]);
  }
  return facts;
}

function countsText(counts: DeploymentCounts): string {
  const parts: Array<[number, string]> = [
    [counts.succeeded, 'succeeded'],
    [counts.failed, 'failed'],
    [counts.skipped, 'skipped'],
    [counts.inProgress, 'in progress'],
    [counts.pending, 'pending'],
    [counts.ready, 'ready'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, label]) => `${count} ${label}`)
    .join(' · ');
}

/** What failed (with logs), the per-target tables and the timeline, under headings of `level`. */
function deploymentSections(deployment: DeploymentReport, generatedAt: string, level: number): string[] {
  const heading = '#'.repeat(level);
  const sections: string[] = [];
  const failures = failedEvents(deployment);
  if (failures.length > 0) {
    sections.push(`${heading} What failed`);
    for (const { target, event } of failures) {
      const diagnostics = event.diagnostics ?? {};
      const facts = [
        `- **${TARGET_NOUN[target.type]}:** ${code(target.id)}`,
        `- **Event:** ${inline(event.name)}`,
        diagnostics.errorCode && `- **Error code:** ${code(diagnostics.errorCode)}`,
        diagnostics.scriptName && `- **Script:** ${code(diagnostics.scriptName)}`,
        diagnostics.message && `- **Message:** ${inline(diagnostics.message)}`,
      ];
      sections.push(
        `${heading}# ❌ ${code(target.id)} ${inline(event.name)}`,
        facts.filter(Boolean).join('\n'),
      );
      if (diagnostics.logTail) sections.push(fenced(diagnostics.logTail, 'text'));
    }
  }
  if (deployment.targets.length > 0) {
    sections.push(`${heading} Targets`, ...deployment.targets.map(targetTable));
  }
  const timeline = gantt(deployment, generatedAt);
  if (timeline !== undefined) sections.push(`${heading} Timeline`, timeline);
  return sections;
}

/** Failed targets open, the rest folded, so a fleet of hundreds still leads with what matters. */
function targetTable(target: TargetReport): string {
  const traffic = trafficSummary(target);
  const title = [
    `${STATUS_EMOJI[target.status] ?? ''} <code>${html(target.id)}</code> ${html(target.status)}`.trim(),
    target.label && html(target.label),
    traffic && html(traffic),
  ]
    .filter(Boolean)
    .join(' · ');
  const rows = target.events.map((event) =>
    row([
      inline(event.name),
      `${STATUS_EMOJI[event.status] ?? ''} ${inline(event.status)}`.trim(),
      event.startTime === undefined ? '' : clock(event.startTime),
      event.durationMs === undefined ? '' : formatDuration(event.durationMs),
      event.diagnostics?.errorCode && event.diagnostics.errorCode !== 'Success'
        ? code(event.diagnostics.errorCode)
        : '',
    ]),
  );
  const table =
    rows.length === 0
      ? 'No lifecycle events reported.'
      : [
          row(['Event', 'Status', 'Start (UTC)', 'Duration', 'Error code']),
          '| --- | --- | --- | --- | --- |',
          ...rows,
        ].join('\n');
  // Blank lines around the table are what make GitHub render Markdown inside <details>.
  const open = target.status === 'Failed' || hasFailedEvent(target);
  return `<details${open ? ' open' : ''}>\n<summary>${title}</summary>\n\n${table}\n\n</details>`;
}

const TARGET_NOUN: Record<TargetType, string> = {
  instance: 'Instance',
  lambda: 'Function',
  ecs: 'Service',
  cloudformation: 'Stack',
};

const GANTT_TAG: Record<string, string> = { Failed: 'crit', Succeeded: 'done', InProgress: 'active' };

/** Mermaid refuses diagrams over 50,000 characters (`maxTextSize`), GitHub's viewer included. */
const GANTT_MAX_CHARS = 40_000;

/**
 * A Mermaid gantt chart with a section per target and a bar per lifecycle event that started. Times
 * are epoch milliseconds (`dateFormat x`), so the chart needs no time zone; an event still running
 * ends at the time the report was made. A fleet too large for one diagram is shown in part, targets
 * with a failed event first, with a note saying so.
 */
function gantt(deployment: DeploymentReport, generatedAt: string): string | undefined {
  const reportTime = Date.parse(generatedAt);
  const sections = new Map<TargetReport, string>();
  for (const target of deployment.targets) {
    const tasks: string[] = [];
    for (const event of target.events) {
      if (event.startTime === undefined) continue;
      const start = Date.parse(event.startTime);
      const end = event.endTime === undefined ? reportTime : Date.parse(event.endTime);
      if (Number.isNaN(start)) continue;
      const tag = GANTT_TAG[event.status];
      const finish = Number.isNaN(end) ? start : Math.max(start, end);
      tasks.push(`  ${ganttText(event.name)} :${tag ? `${tag}, ` : ''}${start}, ${finish}`);
    }
    if (tasks.length > 0) sections.set(target, [`  section ${ganttText(target.id)}`, ...tasks].join('\n'));
  }
  if (sections.size === 0) return undefined;
  const failedFirst = [...sections.keys()].sort(
    (a, b) => Number(hasFailedEvent(b)) - Number(hasFailedEvent(a)),
  );
  const shown = new Set<TargetReport>();
  let size = 0;
  for (const target of failedFirst) {
    const section = sections.get(target)!;
    if (size + section.length > GANTT_MAX_CHARS && shown.size > 0) break;
    shown.add(target);
    size += section.length + 1;
  }
  // todayMarker off: an old deployment's chart would otherwise stretch to today.
  const chart = [
    '```mermaid',
    'gantt',
    '  dateFormat x',
    '  axisFormat %H:%M:%S',
    '  todayMarker off',
    ...[...sections].filter(([target]) => shown.has(target)).map(([, section]) => section),
    '```',
  ].join('\n');
  if (shown.size === sections.size) return chart;
  return `${chart}\n\n_The timeline shows ${shown.size} of ${sections.size} targets, those with a failed event first._`;
}

function hasFailedEvent(target: TargetReport): boolean {
  return target.events.some((event) => event.status === 'Failed');
}

/** Mermaid reads `:` as the start of task data, `;` as a line end and `#`/`%` as entities or comments. */
function ganttText(text: string): string {
  return text.replace(/[:;#%<>\s]+/g, ' ').trim() || '?';
}

function watchLine(report: GateReport): string {
  const watch = report.watch;
  if (watch.getDeploymentCalls === 0 && watch.elapsedMs === 0) return '';
  const parts = [
    `Watched for ${formatDuration(watch.elapsedMs)}`,
    `${watch.getDeploymentCalls} GetDeployment calls`,
    `${watch.targetCalls} target calls`,
  ];
  if (watch.throttled > 0) parts.push(`${watch.throttled} throttled and retried`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

function keyValueTable(facts: Fact[]): string {
  // The first fact is the header row: GitHub has no header-less tables, and the deployment id reads well bold.
  const [first, ...rest] = facts;
  if (first === undefined) return '';
  return [row(first), '| --- | --- |', ...rest.map(row)].join('\n');
}

/** A table row; `|` inside a cell (code spans included) must be escaped or it splits the cell. */
function row(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, '<br>')).join(' | ')} |`;
}

/** Text that Markdown must show as written: punctuation escaped, line breaks kept. */
function inline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~&]/g, (char) => `\\${char}`)
    .replace(/\r\n?|\n/g, '<br>')
    .trim();
}

/** An inline code span that survives backticks in the text (a longer delimiter, padded when needed). */
function code(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so the text cannot close it. */
function fenced(text: string, info: string): string {
  const body = plainLog(text).replace(/\n+$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `HH:MM:SS` of an ISO time, in UTC like the ISO string itself. */
function clock(isoTime: string): string {
  return isoTime.slice(11, 19);
}
