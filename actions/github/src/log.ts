import * as core from '@actions/core';
import {
  colourWanted,
  type DeployEvent,
  type DeploymentChange,
  DeploymentChangeLog,
  type GateAction,
  PLAIN_TEXT,
  type PushProgress,
  type SecretMasker,
  type TextStyle,
} from '@codedeploy-gate/core';

/**
 * The step's live log: a collapsible group per phase (preparing, the deployment, its rollback) and,
 * inside, one line per change — counters when they move, a line per lifecycle event that started or
 * ended, a line per traffic shift of a Lambda or ECS target, the verification run in a blue/green
 * wait, its output and its result — never a line for a poll that saw nothing new. Every line goes
 * through the masker: an AWS error or a check's output can quote a credential.
 */
export class ActionLog {
  private openGroup: string | undefined;
  private readonly changes = new DeploymentChangeLog();
  private readonly startedAt: number;
  private pushStage: string | undefined;
  private pushQuarter = -1;

  constructor(
    private readonly masker: SecretMasker,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  handle(event: DeployEvent): void {
    switch (event.type) {
      case 'checking':
        this.group('Preparing the deployment');
        this.info(`checking ${event.detail}`);
        return;
      case 'revision':
        // What was published or registered for the deployment: worth seeing among the checks.
        this.group('Preparing the deployment');
        this.info(`+ ${event.detail}`);
        return;
      case 'push':
        this.push(event.progress);
        return;
      case 'queued':
        this.info(`the group is busy with ${event.activeDeploymentId}: waiting for it to end (queue: true)`);
        return;
      case 'uncertain':
        this.warning(event.detail);
        return;
      case 'created':
        this.group(`Deployment ${event.deploymentId}`);
        this.info(
          `deployment ${event.deploymentId} ${event.adopted ? 'found again (its create answer was lost)' : 'created'}`,
        );
        return;
      case 'update':
        if (event.role === 'rollback') this.group(`Rollback ${event.snapshot.deployment.deploymentId ?? ''}`);
        for (const change of this.changes.changes(event.role, event.snapshot)) this.info(this.line(change));
        return;
      case 'action':
        this.info(`${ACTION_MARK[event.action.kind] ?? '→'} ${event.action.detail}`);
        return;
      case 'verification-output':
        // As a `run:` step shows its output; masked by the gate, a private key's lines included.
        this.info(event.line);
        return;
      case 'poll-error':
        this.info(
          `reading the deployment failed (${event.error.code ?? event.error.message}); next look in ${Math.ceil(event.retryInMs / 1000)} s`,
        );
        return;
      case 'waiting':
        // The detail names the wait type; the check's output follows, then its result as an action.
        this.info(`[${this.elapsed()}] ⏸ ${event.detail}`);
        return;
    }
  }

  /** Closes the open group, so the result that follows is visible without expanding anything. */
  close(): void {
    if (this.openGroup !== undefined) core.endGroup();
    this.openGroup = undefined;
  }

  private info(text: string): void {
    core.info(this.masker(text).text);
  }

  private warning(text: string): void {
    core.warning(this.masker(text).text);
  }

  private group(name: string): void {
    if (this.openGroup === name) return;
    this.close();
    core.startGroup(name);
    this.openGroup = name;
  }

  private push(progress: PushProgress): void {
    if (progress.stage !== this.pushStage) {
      this.pushStage = progress.stage;
      this.pushQuarter = -1;
      if (progress.stage === 'bundling') this.info('packaging the revision');
      if (progress.stage === 'uploading') this.info(`uploading to ${progress.key}`);
      if (progress.stage === 'registering')
        this.info(`registering the revision with ${progress.application}`);
      if (progress.stage === 'packaged') {
        for (const notice of progress.notices) {
          if (notice.severity === 'warning') this.warning(notice.message);
          else this.info(`note: ${notice.message}`);
        }
      }
    }
    if (progress.stage !== 'bundling' && progress.stage !== 'uploading') return;
    // A line per quarter: enough to see a big upload move, few enough to keep the log short.
    const quarter = progress.bytesTotal > 0 ? Math.floor((4 * progress.bytesDone) / progress.bytesTotal) : 4;
    if (quarter <= this.pushQuarter) return;
    this.pushQuarter = quarter;
    const detail =
      progress.stage === 'bundling'
        ? `${progress.entriesDone}/${progress.entriesTotal} entries`
        : `${size(progress.bytesDone)}/${size(progress.bytesTotal)}`;
    this.info(`  ${progress.stage} ${quarter * 25}% (${detail})`);
  }

  private line(change: DeploymentChange): string {
    if (change.kind === 'counters') {
      return `[${this.elapsed()}] ${change.role === 'rollback' ? 'rollback ' : ''}${change.deploymentId} ${change.text}`;
    }
    if (change.kind === 'traffic') return `  ${change.target.padEnd(24)} ${change.text}`;
    const mark = change.status === 'Succeeded' ? '✓' : change.status === 'Failed' ? '✗' : '…';
    const done = change.status === 'InProgress' ? '' : ` ${change.status}`;
    const seconds = change.seconds !== undefined ? ` ${change.seconds.toFixed(1)} s` : '';
    return `  ${change.target.padEnd(24)} ${mark} ${change.event}${done}${seconds}`;
  }

  private elapsed(): string {
    const seconds = Math.floor((this.now() - this.startedAt) / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
}

/** Verification results stand out from the gate's other actions. */
const ACTION_MARK: Partial<Record<GateAction['kind'], string>> = {
  'verification-passed': '✓',
  'verification-failed': '✗',
};

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * GitHub's log viewer renders ANSI colours: the final report gets the terminal's red and green, unless
 * the workflow says otherwise (NO_COLOR, FORCE_COLOR=0: `colourWanted`).
 */
export function logStyle(env: NodeJS.ProcessEnv): TextStyle {
  return colourWanted(env, true) ? LOG_STYLE : PLAIN_TEXT;
}

const LOG_STYLE: TextStyle = {
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
  red: (text) => `\u001b[31m${text}\u001b[39m`,
  green: (text) => `\u001b[32m${text}\u001b[39m`,
  yellow: (text) => `\u001b[33m${text}\u001b[39m`,
};
