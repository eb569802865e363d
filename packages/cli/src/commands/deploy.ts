import { resolve } from 'node:path';
import type { BundleType, FileExistsBehavior } from '@aws-sdk/client-codedeploy';
import { InvalidInputError } from '@codedeploy-gate/core/errors';
import {
  AUTO_ROLLBACK_EVENTS,
  type AutoRollbackChoice,
  deployAndGate,
  type RevisionSource,
} from '@codedeploy-gate/core/gate';
import { planDeployment, renderTextPlan } from '@codedeploy-gate/core/plan';
import { choice, parseCommandArgs, required } from '../cli-args.js';
import { GateDisplay } from '../terminal/gate-display.js';
import { awsOptions } from './aws-options.js';
import {
  assertNoComputeOnlyFlags,
  COMPUTE_OPTIONS,
  COMPUTE_USAGE,
  computeSourceFlag,
  ecsSourceOf,
  lambdaSourceOf,
} from './compute-flags.js';
import type { Command, CommandContext } from './context.js';
import { finishGate } from './gate-finish.js';
import { GATE_OPTIONS, GATE_USAGE, gateSettings } from './gate-options.js';
import { parseConcurrency, resolveFormat } from './package.js';

const FILE_EXISTS = ['DISALLOW', 'OVERWRITE', 'RETAIN'] as const satisfies readonly FileExistsBehavior[];
const BUNDLE_TYPES = ['zip', 'tar', 'tgz', 'YAML', 'JSON'] as const satisfies readonly BundleType[];
const AUTO_ROLLBACK = [...Object.keys(AUTO_ROLLBACK_EVENTS), 'disabled'] as AutoRollbackChoice[];

/** The revision options `deploy` and `plan` share, as their help shows them. */
export const REVISION_USAGE = `REVISION is exactly one of:
  DIR --s3-location s3://BUCKET/PREFIX   a folder: validated, packaged and pushed as \`push\` does
  --s3-location s3://BUCKET/KEY          a bundle already in S3 (type from the extension)
      [--etag ETAG] [--version ID] [--bundle-type zip|tar|tgz|YAML|JSON]
  --github-repo OWNER/REPO --commit SHA  a GitHub commit
  --appspec-content FILE                 a Lambda or ECS AppSpec, sent inline
  --lambda-function NAME --lambda-alias ALIAS [--lambda-version N | --lambda-zip FILE]
                                         a Lambda alias shift (AppSpec built; see below)
  --ecs-task-definition FILE and/or --ecs-service CLUSTER/SERVICE [--ecs-image C=IMAGE]...
                                         an ECS task set replacement (AppSpec built; see below)`;

/** Every option of `deploy`; `plan` takes exactly these, so a plan describes the deploy it precedes. */
export const DEPLOY_OPTIONS = {
  application: { type: 'string' },
  'deployment-group': { type: 'string' },
  's3-location': { type: 'string' },
  etag: { type: 'string' },
  version: { type: 'string' },
  'bundle-type': { type: 'string' },
  'github-repo': { type: 'string' },
  commit: { type: 'string' },
  'appspec-content': { type: 'string' },
  'deployment-config': { type: 'string' },
  description: { type: 'string' },
  'file-exists-behavior': { type: 'string' },
  'ignore-application-stop-failures': { type: 'boolean' },
  'update-outdated-instances-only': { type: 'boolean' },
  'auto-rollback': { type: 'string', multiple: true },
  queue: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  'plan-first': { type: 'boolean' },
  format: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  ...COMPUTE_OPTIONS,
  ...GATE_OPTIONS,
} as const;

export const deployCommand: Command = {
  usage: `Usage: codedeploy-gate deploy --application APP --deployment-group GROUP REVISION [options]

Checks the application and group, resolves the revision (packaging a folder, publishing a Lambda
version, registering an ECS task definition), creates the deployment exactly once, then watches it
to the end and exits with the verdict. Lambda and ECS traffic shifts are shown step by step. On
failure it prints each failed target with its lifecycle event, error code, script and log tail.

${REVISION_USAGE}

${COMPUTE_USAGE}

Deployment options:
  --deployment-config NAME              e.g. CodeDeployDefault.AllAtOnce (default: the group's)
  --description TEXT                    (a unique marker is appended: how a lost create is found)
  --file-exists-behavior B              DISALLOW, OVERWRITE or RETAIN
  --ignore-application-stop-failures
  --update-outdated-instances-only
  --auto-rollback EVENT                 on-failure, on-stop, on-alarm or disabled (repeatable;
                                        overrides the group's setting for this deployment)
  --queue                               wait for a deployment already active in the group
  --no-wait                             create the deployment and exit 0 without watching
  --plan-first                          print the plan first (\`codedeploy-gate plan\`), then deploy
                                        (not with --json)
  --format, --exclude, --concurrency    packaging of DIR, as for \`push\` (secrets such as .git/, .env
                                        and id_rsa are left out by default: see \`push --help\`)

Gate options:
${GATE_USAGE}
  --json                   print the report as JSON on stdout

Exit status: 0 succeeded, 1 failed or stopped, 2 invalid input or configuration (nothing created),
3 gate timed out, 4 AWS or network failure, 130/143 interrupted by SIGINT/SIGTERM (the deployment is
then stopped as --on-cancel says).`,

  async run(context: CommandContext) {
    const { argv, output, env, cwd, signal } = context;
    const { values, positionals } = parseCommandArgs('deploy', argv, DEPLOY_OPTIONS);
    const target = deploymentTarget(values, positionals, cwd, 'deploy');
    const { application, deploymentGroup, source, autoRollback } = target;
    const settings = await gateSettings(values, cwd);
    const aws = await awsOptions(env, settings);
    if (values['plan-first'] === true && !output.json) {
      // The log of the deployment starts with what it will change; the deployment's own checks still decide.
      const plan = await planDeployment({ ...target, ...aws, signal });
      output.line(renderTextPlan(plan, output));
      output.line('');
    }
    const display = new GateDisplay(output);
    try {
      const result = await deployAndGate({
        application,
        deploymentGroup,
        source,
        deploymentConfig: values['deployment-config'],
        description: values.description,
        fileExistsBehavior: choice('--file-exists-behavior', values['file-exists-behavior'], FILE_EXISTS),
        ...(values['ignore-application-stop-failures'] ? { ignoreApplicationStopFailures: true } : {}),
        ...(values['update-outdated-instances-only'] ? { updateOutdatedInstancesOnly: true } : {}),
        autoRollback,
        queue: values.queue === true,
        wait: values['no-wait'] !== true,
        timeoutMs: settings.timeoutMs,
        onTimeout: settings.onTimeout,
        onCancel: settings.onCancel,
        cancelBudgetMs: settings.cancelBudgetMs,
        continueAfter: settings.continueAfter,
        verificationCwd: cwd,
        verificationEnv: env,
        masker: output.masker,
        pacing: settings.pacing,
        liveTargets: output.interactive,
        ...aws,
        signal,
        onEvent: (event) => display.handle(event),
      });
      display.stop();
      return await finishGate(result.report, settings.reports, output, {
        ...(result.pushed ? { bundleSha256: result.pushed.sha256 } : {}),
      });
    } finally {
      display.stop();
    }
  },
};

/** What `deploy` and `plan` read alike: the application and group, the revision, the deployment's settings. */
export function deploymentTarget(
  values: DeployValues & {
    application?: string | undefined;
    'deployment-group'?: string | undefined;
    'deployment-config'?: string | undefined;
    queue?: boolean | undefined;
    'auto-rollback'?: string[] | undefined;
  },
  positionals: string[],
  cwd: string,
  command: 'deploy' | 'plan',
): {
  application: string;
  deploymentGroup: string;
  source: RevisionSource;
  deploymentConfig: string | undefined;
  queue: boolean;
  autoRollback: AutoRollbackChoice[];
} {
  return {
    application: required(command, '--application', values.application),
    deploymentGroup: required(command, '--deployment-group', values['deployment-group']),
    source: revisionSource(values, positionals, cwd, command),
    deploymentConfig: values['deployment-config'],
    queue: values.queue === true,
    autoRollback: (values['auto-rollback'] ?? []).map(
      (value) => choice('--auto-rollback', value, AUTO_ROLLBACK) as AutoRollbackChoice,
    ),
  };
}

type DeployValues = Parameters<typeof computeSourceFlag>[0] & {
  's3-location'?: string | undefined;
  etag?: string | undefined;
  version?: string | undefined;
  'bundle-type'?: string | undefined;
  'github-repo'?: string | undefined;
  commit?: string | undefined;
  'appspec-content'?: string | undefined;
  format?: string | undefined;
  exclude?: string[] | undefined;
  concurrency?: string | undefined;
};

/**
 * Exactly one revision source, or an error that says which flags go together; `command` (deploy or
 * plan) starts the messages.
 */
export function revisionSource(
  values: DeployValues,
  positionals: string[],
  cwd: string,
  command: 'deploy' | 'plan',
): RevisionSource {
  if (positionals.length > 1) {
    throw new InvalidInputError(`${command}: expected at most one DIR, got ${positionals.length}`, {
      hint: 'Quote paths with spaces; see codedeploy-gate deploy --help.',
    });
  }
  const dir = positionals[0];
  const s3 = values['s3-location'];
  const github = values['github-repo'] !== undefined || values.commit !== undefined;
  const appspec = values['appspec-content'];
  const compute = computeSourceFlag(values);
  const kinds = [
    dir !== undefined && 'DIR',
    dir === undefined && s3 !== undefined && '--s3-location',
    github && '--github-repo/--commit',
    appspec !== undefined && '--appspec-content',
    compute,
  ].filter(Boolean);
  if (kinds.length !== 1) {
    throw new InvalidInputError(
      kinds.length === 0
        ? `${command}: no revision given`
        : `${command}: give one revision source, not ${kinds.join(' and ')}`,
      {
        hint: 'Use DIR --s3-location s3://BUCKET/PREFIX, --s3-location s3://BUCKET/KEY, --github-repo OWNER/REPO --commit SHA, --appspec-content FILE, --lambda-function NAME --lambda-alias ALIAS, or --ecs-task-definition FILE / --ecs-service CLUSTER/SERVICE.',
      },
    );
  }
  if (compute === undefined) assertNoComputeOnlyFlags(values);
  const s3Only = ['etag', 'version', 'bundle-type'] as const;
  if (dir !== undefined || github || appspec !== undefined || compute !== undefined) {
    const stray = s3Only.find((flag) => values[flag] !== undefined);
    if (stray) {
      throw new InvalidInputError(
        `${command}: --${stray} applies only to an existing S3 bundle (--s3-location)`,
        {
          hint:
            compute === '--lambda-function' && stray === 'version'
              ? 'For the Lambda version to shift to, use --lambda-version N.'
              : 'Drop it, or deploy the bundle already in S3 with --s3-location s3://BUCKET/KEY.',
        },
      );
    }
  }
  if (dir !== undefined) {
    const s3Location = required(command, '--s3-location (where DIR is pushed)', s3);
    return {
      kind: 'folder',
      dir: resolve(cwd, dir),
      s3Location,
      format: resolveFormat(values.format, undefined),
      ...(values.exclude ? { exclude: values.exclude } : {}),
      ...(values.concurrency ? { concurrency: parseConcurrency(values.concurrency) } : {}),
    };
  }
  if (values.format !== undefined || values.exclude !== undefined || values.concurrency !== undefined) {
    throw new InvalidInputError(
      `${command}: --format, --exclude and --concurrency apply only when deploying a DIR`,
      {
        hint: 'Drop them, or pass the folder to package.',
      },
    );
  }
  if (compute === '--lambda-function') return lambdaSourceOf(values, cwd);
  if (compute !== undefined) return ecsSourceOf(values, cwd);
  if (github) {
    return {
      kind: 'github',
      repository: required(command, '--github-repo', values['github-repo']),
      commitId: required(command, '--commit', values.commit),
    };
  }
  if (appspec !== undefined) return { kind: 'appspec', file: resolve(cwd, appspec) };
  return {
    kind: 's3',
    url: s3 ?? '',
    bundleType: choice('--bundle-type', values['bundle-type'], BUNDLE_TYPES),
    eTag: values.etag,
    version: values.version,
  };
}
