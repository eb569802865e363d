import { normalize, posix } from 'node:path';
import type { ActionConfiguration, PipelineContext } from '@aws-sdk/client-codepipeline';
import { InvalidInputError, type StopPolicy } from '@codedeploy-gate/core';

/** The action's configuration (action-type.json's properties), checked: a mistake fails the job as ConfigurationError. */
export interface DeploySettings {
  application: string;
  deploymentGroup: string;
  deploymentConfig: string | undefined;
  /** A folder inside the input artifact to deploy; undefined: the artifact as it is. */
  bundlePath: string | undefined;
  /** A Lambda or ECS revision spec file inside the input artifact (see revision-spec.ts). */
  revisionSpec: string | undefined;
  /** A shell command run from the unpacked artifact in each blue/green wait, as the CLI's --continue-after. */
  continueAfter: string | undefined;
  description: string;
  timeoutMinutes: number;
  onTimeout: StopPolicy;
}

/** CodePipeline stops waiting for a custom action after 24 hours. */
const MAX_TIMEOUT_MINUTES = 24 * 60;
const DEFAULT_TIMEOUT_MINUTES = 60;

export function readSettings(
  configuration: ActionConfiguration['configuration'],
  context: PipelineContext | undefined,
): DeploySettings {
  const config = configuration ?? {};
  const value = (name: string) => {
    const text = config[name]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const required = (name: string) => {
    const text = value(name);
    if (text === undefined)
      throw invalid(name, 'is required and empty', `Set ${name} in the action's configuration.`);
    return text;
  };
  const settings: DeploySettings = {
    application: required('ApplicationName'),
    deploymentGroup: required('DeploymentGroupName'),
    deploymentConfig: value('DeploymentConfigName'),
    bundlePath: bundlePath(value('BundlePath')),
    revisionSpec: revisionSpec(value('RevisionSpec')),
    continueAfter: value('ContinueAfter'),
    description: value('Description') ?? defaultDescription(context),
    timeoutMinutes: timeoutMinutes(value('TimeoutMinutes')),
    onTimeout: onTimeout(value('OnTimeout')),
  };
  if (settings.bundlePath !== undefined && settings.revisionSpec !== undefined) {
    throw invalid(
      'RevisionSpec',
      'and BundlePath are both set',
      'BundlePath deploys a folder to EC2/on-premises instances; RevisionSpec describes a Lambda or ECS deployment. Keep the one your application needs.',
    );
  }
  return settings;
}

function bundlePath(text: string | undefined): string | undefined {
  const path = artifactPath(text);
  if (path === null) {
    throw invalid(
      'BundlePath',
      `"${text}" is not a folder inside the input artifact`,
      'Give a relative path such as deploy/, or leave it empty to deploy the artifact as it is.',
    );
  }
  return path;
}

function revisionSpec(text: string | undefined): string | undefined {
  const path = artifactPath(text);
  if (path === null || (text !== undefined && path === undefined)) {
    throw invalid(
      'RevisionSpec',
      `"${text}" is not a file inside the input artifact`,
      'Give the relative path of a YAML or JSON file in the artifact, such as deploy/revision.yaml.',
    );
  }
  return path;
}

/**
 * A path inside an artifact, normalised (`./deploy//app/` is `deploy/app`); undefined for none or the
 * artifact's root, null for one that leaves the artifact (absolute, `..`).
 */
export function artifactPath(text: string | undefined): string | undefined | null {
  if (text === undefined) return undefined;
  const path = posix.normalize(normalize(text).replaceAll('\\', '/')).replace(/\/+$/, '');
  if (path === '.' || path === '') return undefined;
  if (posix.isAbsolute(path) || path === '..' || path.startsWith('../')) return null;
  return path;
}

function timeoutMinutes(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MINUTES;
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_TIMEOUT_MINUTES) {
    throw invalid(
      'TimeoutMinutes',
      `must be a number of minutes above 0 and at most ${MAX_TIMEOUT_MINUTES}, got "${text}"`,
      'For example 60.',
    );
  }
  return minutes;
}

function onTimeout(text: string | undefined): StopPolicy {
  if (text === undefined) return 'rollback';
  const policy = text.toLowerCase();
  if (policy === 'stop' || policy === 'rollback' || policy === 'leave') return policy;
  throw invalid(
    'OnTimeout',
    `must be stop, rollback or leave, got "${text}"`,
    'Set OnTimeout to one of those.',
  );
}

/** Where the deployment came from, as people look for it in the CodeDeploy console. */
function defaultDescription(context: PipelineContext | undefined): string {
  if (!context?.pipelineName) return 'CodePipeline';
  const where = [context.stage?.name, context.action?.name].filter(Boolean).join('/');
  return `CodePipeline ${context.pipelineName} ${where} execution ${context.pipelineExecutionId ?? '?'}`.trim();
}

function invalid(name: string, problem: string, hint: string): InvalidInputError {
  return new InvalidInputError(`configuration property ${name} ${problem}; nothing was created`, { hint });
}
