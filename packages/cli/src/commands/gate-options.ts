import { resolve } from 'node:path';
import { InvalidInputError } from '@codedeploy-gate/core/errors';
import { type PacingSettings, parseDuration, type StopPolicy } from '@codedeploy-gate/core/gate';
import {
  checkReportFiles,
  type GateReport,
  type ReportFileNames,
  type ReportFiles,
  writeReportFiles,
} from '@codedeploy-gate/core/report';
import { choice } from '../cli-args.js';
import { AWS_OPTIONS, awsUsage } from './aws-options.js';

export const STOP_POLICIES = ['stop', 'rollback', 'leave'] as const satisfies readonly StopPolicy[];

/** Options shared by `deploy` and `wait`: how long, what to do on timeout/cancel, where reports go. */
export const GATE_OPTIONS = {
  timeout: { type: 'string' },
  'on-timeout': { type: 'string' },
  'on-cancel': { type: 'string' },
  'cancel-budget': { type: 'string' },
  'continue-after': { type: 'string' },
  'poll-interval': { type: 'string' },
  'max-poll-interval': { type: 'string' },
  'report-json': { type: 'string' },
  'report-markdown': { type: 'string' },
  'report-junit': { type: 'string' },
  'report-properties': { type: 'string' },
  ...AWS_OPTIONS,
} as const;

export const GATE_USAGE = `  --timeout DURATION       give up after this long (default 30m; 90s, 45m, 2h, 1h30m)
  --on-timeout POLICY      stop, rollback or leave the deployment when the gate times out
  --on-cancel POLICY       the same on SIGINT/SIGTERM (Jenkins abort, GitHub cancel)
                           (default for both: rollback when the group has a successful deployment
                           to return to, else stop)
  --cancel-budget SECONDS  after SIGINT/SIGTERM, stop the deployment and write the reports within
                           this long (default 4; Jenkins kills 5 s after its SIGTERM)
  --continue-after CMD     for a deployment that waits (Ready, termination wait): run CMD through
                           the shell, ContinueDeployment when it exits 0, stop with rollback if not
  --poll-interval D        shortest time between looks (default 5s)
  --max-poll-interval D    longest time between looks while nothing changes (default 30s)
  --report-json FILE       write the report as JSON (schema codedeploy-gate/report@1)
  --report-markdown FILE   ... as Markdown with a Mermaid timeline (renders on GitHub)
  --report-junit FILE      ... as JUnit XML (Jenkins junit step, GitLab, Azure DevOps)
  --report-properties FILE ... as Java properties (DEPLOYMENT_ID, STATUS, VERDICT, ... for readProperties)
                           (each a regular file or a new one, checked before anything runs)
${awsUsage()}`;

type GateValues = { [K in keyof typeof GATE_OPTIONS]?: string | undefined };

export interface GateSettings {
  timeoutMs: number | undefined;
  onTimeout: StopPolicy | undefined;
  onCancel: StopPolicy | undefined;
  cancelBudgetMs: number | undefined;
  continueAfter: string | undefined;
  pacing: Partial<PacingSettings>;
  reports: ReportFiles;
  region: string | undefined;
  profile: string | undefined;
}

/** Messages name a report by its flag. */
const REPORT_FLAGS: ReportFileNames = {
  json: '--report-json',
  markdown: '--report-markdown',
  junit: '--report-junit',
  properties: '--report-properties',
};

/**
 * The gate options, checked before anything runs: durations and policies parsed, and every report
 * path one a report can be written to (a regular file or nothing, never a device, pipe or folder).
 */
export async function gateSettings(values: GateValues, cwd: string): Promise<GateSettings> {
  const pacing: Partial<PacingSettings> = {};
  if (values['poll-interval'] !== undefined)
    pacing.baseMs = parseDuration('--poll-interval', values['poll-interval'], 's');
  if (values['max-poll-interval'] !== undefined)
    pacing.maxMs = parseDuration('--max-poll-interval', values['max-poll-interval'], 's');
  if (pacing.baseMs !== undefined && pacing.maxMs !== undefined && pacing.maxMs < pacing.baseMs) {
    throw new InvalidInputError('--max-poll-interval is shorter than --poll-interval', {
      hint: 'The longest interval must be at least the shortest.',
    });
  }
  if (values['continue-after'] !== undefined && values['continue-after'].trim() === '') {
    throw new InvalidInputError('--continue-after is empty', {
      hint: 'Give the verification command to run.',
    });
  }
  const at = (file: string | undefined) => (file === undefined ? undefined : resolve(cwd, file));
  const settings: GateSettings = {
    timeoutMs: values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout, 'm'),
    onTimeout: choice('--on-timeout', values['on-timeout'], STOP_POLICIES),
    onCancel: choice('--on-cancel', values['on-cancel'], STOP_POLICIES),
    cancelBudgetMs:
      values['cancel-budget'] === undefined
        ? undefined
        : parseDuration('--cancel-budget', values['cancel-budget'], 's'),
    continueAfter: values['continue-after'],
    pacing,
    reports: {
      json: at(values['report-json']),
      markdown: at(values['report-markdown']),
      junit: at(values['report-junit']),
      properties: at(values['report-properties']),
    },
    region: values.region,
    profile: values.profile,
  };
  await checkReportFiles(settings.reports, REPORT_FLAGS);
  return settings;
}

/** Writes each requested report whole (temp file + rename: a reader never sees half a report). */
export function writeReports(report: GateReport, files: ReportFiles): Promise<string[]> {
  return writeReportFiles(report, files, REPORT_FLAGS);
}
