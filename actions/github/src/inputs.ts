import { resolve } from 'node:path';
import type { FileExistsBehavior } from '@aws-sdk/client-codedeploy';
import {
  AUTO_ROLLBACK_EVENTS,
  type AutoRollbackChoice,
  type BundleFormat,
  type EcsRevisionSource,
  type LambdaRevisionSource,
  type PacingSettings,
  parseDuration,
  type StopPolicy,
} from '@codedeploy-gate/core';
import { computeRevision } from './compute-inputs.js';
import { flag, invalid, lines, oneOf, optional, pathInput, required } from './read-input.js';

/** Where the revision comes from, as the inputs say (a GitHub revision takes its commit from the run). */
export type RevisionInput =
  | { kind: 'folder'; dir: string; s3Location: string; format: BundleFormat; exclude: string[] }
  | { kind: 's3'; url: string }
  | { kind: 'github' }
  | { kind: 'appspec'; file: string }
  /** Built by core from the lambda-* or ecs-* inputs (a version published, a task definition registered). */
  | LambdaRevisionSource
  | EcsRevisionSource;

/** The step's inputs, checked and typed: every mistake is found here, before any AWS call. */
export interface ActionInputs {
  /** deploy, or plan: show what the deployment would do, changing nothing. */
  mode: 'deploy' | 'plan';
  /** For the plan's pull-request comment; empty when not given. */
  githubToken: string | undefined;
  application: string;
  deploymentGroup: string;
  revision: RevisionInput;
  deploymentConfig: string | undefined;
  description: string | undefined;
  fileExistsBehavior: FileExistsBehavior | undefined;
  ignoreApplicationStopFailures: boolean;
  autoRollback: AutoRollbackChoice[];
  wait: boolean;
  queue: boolean;
  timeoutMs: number;
  pacing: Partial<PacingSettings>;
  onTimeout: StopPolicy | undefined;
  onCancel: StopPolicy;
  continueAfter: string | undefined;
  reportDir: string | undefined;
  region: string | undefined;
}

const POLICIES = ['stop', 'rollback', 'leave'] as const satisfies readonly StopPolicy[];
const FILE_EXISTS = ['DISALLOW', 'OVERWRITE', 'RETAIN'] as const satisfies readonly FileExistsBehavior[];
const FORMATS = ['zip', 'tgz', 'tar'] as const satisfies readonly BundleFormat[];
const AUTO_ROLLBACK = [...Object.keys(AUTO_ROLLBACK_EVENTS), 'disabled'] as AutoRollbackChoice[];
/** CodeDeploy itself gives up on a deployment after days; a step longer than GitHub's 6 h job limit never ends. */
const MAX_TIMEOUT_MINUTES = 6 * 60;

/** Reads every input of action.yml; `workspace` anchors relative paths (GITHUB_WORKSPACE). */
export function readInputs(workspace: string): ActionInputs {
  const application = required('application');
  const deploymentGroup = required('deployment-group');
  return {
    mode: oneOf('mode', ['deploy', 'plan'] as const) ?? 'deploy',
    githubToken: optional('github-token'),
    application,
    deploymentGroup,
    revision: revisionInput(workspace),
    deploymentConfig: optional('deployment-config'),
    description: optional('description'),
    fileExistsBehavior: oneOf('file-exists-behavior', FILE_EXISTS, (v) => v.toUpperCase()),
    ignoreApplicationStopFailures: flag('ignore-application-stop-failures', false),
    autoRollback: autoRollback(),
    wait: flag('wait', true),
    queue: flag('queue', true),
    timeoutMs: timeoutMinutes() * 60_000,
    pacing: pacing(),
    onTimeout: oneOf('on-timeout', POLICIES),
    onCancel: oneOf('on-cancel', POLICIES) ?? 'rollback',
    continueAfter: optional('continue-after'),
    reportDir: pathInput(workspace, 'report-dir'),
    region: region(),
  };
}

/** The subset the post step needs; it must not fail on inputs the main step already reported. */
export function readCancelPolicy(): StopPolicy {
  try {
    return oneOf('on-cancel', POLICIES) ?? 'rollback';
  } catch {
    return 'rollback';
  }
}

function revisionInput(workspace: string): RevisionInput {
  const type = oneOf('revision-type', ['s3', 'github'] as const) ?? 's3';
  const path = optional('revision-path') ?? '.';
  const bucket = optional('s3-bucket');
  const appspec = pathInput(workspace, 'appspec');
  const compute = computeRevision(workspace);
  if (compute !== undefined) {
    const other =
      appspec !== undefined
        ? 'appspec'
        : type === 'github'
          ? 'revision-type github'
          : bucket !== undefined
            ? 's3-bucket'
            : path !== '.'
              ? 'revision-path'
              : undefined;
    if (other !== undefined) {
      throw invalid(
        compute.input,
        `builds the ${compute.source.kind === 'lambda' ? 'Lambda' : 'ECS'} revision (and its AppSpec), so it cannot be combined with ${other}`,
        `Drop ${other} to deploy what the ${compute.source.kind}-* inputs describe, or drop the ${compute.source.kind}-* inputs to deploy ${other === 'appspec' ? 'your AppSpec file' : 'a folder, bundle or commit'}.`,
      );
    }
    return compute.source;
  }
  if (appspec !== undefined) {
    if (type === 'github' || bucket !== undefined) {
      throw invalid(
        'appspec',
        'is for Lambda and ECS applications and cannot be combined with revision-type github or s3-bucket',
        'Drop revision-type/s3-bucket for a Lambda or ECS deployment, or drop appspec for EC2/on-premises.',
      );
    }
    return { kind: 'appspec', file: appspec };
  }
  if (type === 'github') {
    if (bucket !== undefined) {
      throw invalid(
        's3-bucket',
        'is not used with revision-type github: CodeDeploy fetches the commit from GitHub itself',
        'Drop s3-bucket, or use revision-type s3.',
      );
    }
    return { kind: 'github' };
  }
  if (path.startsWith('s3://')) {
    if (bucket !== undefined) {
      throw invalid(
        's3-bucket',
        `is not used when revision-path is already an S3 bundle (${path})`,
        'Drop s3-bucket, or point revision-path at the folder to package.',
      );
    }
    return { kind: 's3', url: path };
  }
  if (bucket === undefined) {
    throw invalid(
      's3-bucket',
      'is required with revision-type s3: the packaged revision is pushed there before deploying',
      'Set s3-bucket (and optionally s3-prefix), or use revision-type github.',
    );
  }
  const prefix = (optional('s3-prefix') ?? '').replace(/^\/+/, '');
  const exclude = lines('exclude');
  return {
    kind: 'folder',
    dir: resolve(workspace, path),
    s3Location: `s3://${bucket}/${prefix}`,
    format: oneOf('bundle-format', FORMATS) ?? 'zip',
    exclude,
  };
}

function autoRollback(): AutoRollbackChoice[] {
  const raw = optional('auto-rollback');
  if (raw === undefined) return [];
  const choices = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((value) => value.toLowerCase());
  for (const value of choices) {
    if (!AUTO_ROLLBACK.includes(value as AutoRollbackChoice)) {
      throw invalid(
        'auto-rollback',
        `has "${value}"`,
        `Use a comma-separated list of ${AUTO_ROLLBACK.join(', ')}.`,
      );
    }
  }
  if (choices.includes('disabled') && choices.length > 1) {
    throw invalid('auto-rollback', 'combines disabled with other events', 'Give either disabled, or events.');
  }
  return choices as AutoRollbackChoice[];
}

function pacing(): Partial<PacingSettings> {
  const settings: Partial<PacingSettings> = {};
  const base = optional('poll-interval');
  const max = optional('max-poll-interval');
  if (base !== undefined) settings.baseMs = duration('poll-interval', base);
  if (max !== undefined) settings.maxMs = duration('max-poll-interval', max);
  if (settings.baseMs !== undefined && settings.maxMs !== undefined && settings.maxMs < settings.baseMs) {
    throw invalid(
      'max-poll-interval',
      'is shorter than poll-interval',
      'Raise max-poll-interval or lower poll-interval.',
    );
  }
  return settings;
}

function duration(name: string, text: string): number {
  try {
    return parseDuration(`input "${name}"`, text, 's');
  } catch {
    throw invalid(
      name,
      `"${text}" is not a duration`,
      'Write it like 5s, 30s or 1m (a bare number is seconds).',
    );
  }
}

function timeoutMinutes(): number {
  const raw = optional('timeout-minutes') ?? '30';
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_TIMEOUT_MINUTES) {
    throw invalid(
      'timeout-minutes',
      `must be a number of minutes above 0 and at most ${MAX_TIMEOUT_MINUTES}, got "${raw}"`,
      'For example 30, or 2.5 for two and a half minutes.',
    );
  }
  return minutes;
}

function region(): string | undefined {
  const value = optional('aws-region');
  if (value !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) {
    throw invalid(
      'aws-region',
      `"${value}" is not an AWS region name`,
      'Use a region code such as us-east-1.',
    );
  }
  return value;
}
