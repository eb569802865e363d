import {
  type AutoRollbackConfiguration,
  type CodeDeployClient,
  type ComputePlatform,
  type CreateDeploymentInput,
  type DeploymentGroupInfo,
  type FileExistsBehavior,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { hasAwsConsole } from '../aws/console-link.js';
import { type AwsClientOptions, createCodeDeployClient, resolveRegion } from '../aws/index.js';
import { GateTimeoutError, InvalidInputError, wrapAwsError } from '../errors/index.js';
import type { CheckedRevision } from '../packaging/index.js';
import type { PushProgress, PushResult } from '../push/index.js';
import { buildDeploymentReport } from '../report/build.js';
import { ReportMasking } from '../report/masking.js';
import {
  type EcsRevisionReport,
  type GateAction,
  type GateReport,
  type LambdaRevisionReport,
  REPORT_SCHEMA,
} from '../report/model.js';
import { parseS3Url } from '../s3/url.js';
import { DEFAULT_CANCEL_BUDGET_MS } from './cancel-budget.js';
import { createDeploymentOnce, findMarked, newMarker } from './create.js';
import { CreateInterruptedError, DeploymentGroupBusyError } from './errors.js';
import {
  DEFAULT_TIMEOUT_MS,
  type GateEvent,
  type GateOptions,
  gateDeployment,
  type RevisionDetails,
  summarize,
} from './gate.js';
import { checkLocally } from './local-checks.js';
import { getDeployment } from './reads.js';
import {
  appspecRevision,
  bundleTypeOfKey,
  githubRevision,
  type RevisionSource,
  s3BundleRevision,
} from './revision-source.js';
import { newWatchStats, watchDeployment } from './watch.js';

/** `--auto-rollback` values and the CodeDeploy events they stand for. */
export const AUTO_ROLLBACK_EVENTS = {
  'on-failure': 'DEPLOYMENT_FAILURE',
  'on-stop': 'DEPLOYMENT_STOP_ON_REQUEST',
  'on-alarm': 'DEPLOYMENT_STOP_ON_ALARM',
} as const;
export type AutoRollbackChoice = keyof typeof AUTO_ROLLBACK_EVENTS | 'disabled';

export type DeployEvent =
  | GateEvent
  | { type: 'checking'; detail: string }
  /**
   * Something was created or changed for a Lambda or ECS revision before the deployment: `updating
   * the code of my-fn from build.zip`, `published version 7 of my-fn`, `registered task definition
   * web:42 (web=repo/web:2)`.
   */
  | { type: 'revision'; detail: string }
  | { type: 'push'; progress: PushProgress }
  | { type: 'queued'; activeDeploymentId: string }
  | { type: 'uncertain'; detail: string }
  | { type: 'created'; deploymentId: string; adopted: boolean; revision: RevisionLocation };

export interface DeployOptions
  extends AwsClientOptions,
    Pick<
      GateOptions,
      | 'timeoutMs'
      | 'onTimeout'
      | 'onCancel'
      | 'cancelBudgetMs'
      | 'continueAfter'
      | 'verificationCwd'
      | 'verificationEnv'
      | 'verificationRunner'
      | 'pacing'
      | 'liveTargets'
      | 'followRollback'
      | 'clock'
      | 'masker'
    > {
  application: string;
  deploymentGroup: string;
  source: RevisionSource;
  deploymentConfig?: string | undefined;
  description?: string | undefined;
  fileExistsBehavior?: FileExistsBehavior | undefined;
  ignoreApplicationStopFailures?: boolean | undefined;
  updateOutdatedInstancesOnly?: boolean | undefined;
  /** Overrides the group's automatic rollback for this deployment. */
  autoRollback?: AutoRollbackChoice[] | undefined;
  /** False: create the deployment and return (`--no-wait`). Default true. */
  wait?: boolean | undefined;
  /** Wait for a deployment already active in the group instead of failing. */
  queue?: boolean | undefined;
  /**
   * The description marker (default a new random one). With `adoptSince`, a deployment of the group
   * created since then that already carries it is taken as this one instead of creating another: how
   * a restarted worker carries on where a dead one stopped (see `markerFor`).
   */
  marker?: string | undefined;
  adoptSince?: Date | undefined;
  signal?: AbortSignal | undefined;
  clients?:
    | { codeDeploy?: CodeDeployClient; s3?: S3Client; lambda?: LambdaClient; ecs?: ECSClient }
    | undefined;
  onEvent?: ((event: DeployEvent) => void) | undefined;
}

export interface DeployResult {
  report: GateReport;
  deploymentId: string;
  revision: RevisionLocation;
  /** The pushed bundle, when the source was a folder. */
  pushed?: PushResult;
  /** The alias shift built for a Lambda source (also in `report.deployment.lambda`). */
  lambda?: LambdaRevisionReport;
  /** The task definition registered for an ECS source (also in `report.deployment.ecs`). */
  ecs?: EcsRevisionReport;
}

/**
 * The whole stage: check the input locally, check the application and group, resolve the revision
 * (packaging and pushing a folder; publishing a Lambda version or registering an ECS task definition),
 * create the deployment exactly once, then gate on it. Every check that needs no AWS (names, files,
 * the appspec, settings) runs before the first request; every check that can fail on user input runs
 * before anything is uploaded, published, registered or created.
 */
export async function deployAndGate(options: DeployOptions): Promise<DeployResult> {
  const emit = options.onEvent ?? (() => {});
  const region = resolveRegion(options);
  const codeDeploy = options.clients?.codeDeploy ?? createCodeDeployClient(options);
  let s3 = options.clients?.s3;
  let lambda = options.clients?.lambda;
  let ecs = options.clients?.ecs;
  const owned = {
    codeDeploy: !options.clients?.codeDeploy,
    s3: !options.clients?.s3,
    lambda: !options.clients?.lambda,
    ecs: !options.clients?.ecs,
  };
  const signal = options.signal;
  try {
    const autoRollbackConfiguration = autoRollbackOf(options.autoRollback);
    const checked = await checkLocally(options);
    emit({
      type: 'checking',
      detail: `application ${options.application}, group ${options.deploymentGroup}`,
    });
    const platform = await applicationPlatform(codeDeploy, options.application, signal);
    const group = await deploymentGroup(codeDeploy, options.application, options.deploymentGroup, signal);
    if (platform === 'Lambda' && options.continueAfter !== undefined) {
      // Accepting it would let a pipeline believe its check gates the release when it never runs.
      throw new InvalidInputError(
        'a continue-after check never runs for a Lambda deployment: CodeDeploy shifts a Lambda alias without waiting for a go-ahead; nothing was created',
        {
          hint: 'Check the new version in a BeforeAllowTraffic or AfterAllowTraffic hook function instead (the hooks setting), and drop continue-after.',
        },
      );
    }
    if (options.deploymentConfig)
      await assertDeploymentConfig(codeDeploy, options.deploymentConfig, platform, signal);
    const actions: GateAction[] = [];
    const clockNow = options.clock?.now ?? Date.now;
    const now = () => new Date(clockNow()).toISOString();
    // One deadline for the whole stage: time spent queued behind another deployment counts.
    const deadline = clockNow() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onQueued = (active: string) => {
      actions.push({ at: now(), kind: 'queued', detail: `waited for ${active}, active in the group` });
      emit({ type: 'queued', activeDeploymentId: active });
    };
    const waitFor = async (active: string) => {
      const outcome = await watchDeployment(codeDeploy, active, {
        signal,
        deadline,
        pacing: options.pacing,
        clock: options.clock,
        onPollError: (error, retryInMs) => emit({ type: 'poll-error', error, retryInMs }),
      });
      signal?.throwIfAborted();
      if (outcome.state === 'deadline') {
        throw new GateTimeoutError(
          `gave up waiting for ${active}, active in ${options.application}/${options.deploymentGroup}, before the timeout; nothing was created`,
          { hint: `Raise --timeout, or stop it (codedeploy-gate stop ${active}).` },
        );
      }
    };

    let pushed: PushResult | undefined;
    let revision: RevisionLocation;
    const details: RevisionDetails = {};
    const progress = {
      onCheck: (detail: string) => emit({ type: 'checking', detail }),
      onChange: (detail: string) => emit({ type: 'revision', detail }),
    };
    const source = options.source;
    assertSourceFits(source, platform);
    const marker = options.marker ?? newMarker();
    // A restarted worker's deployment may exist already: look before building anything, as building
    // again would publish another Lambda version, register another task definition or push again.
    const earlier =
      options.adoptSince === undefined
        ? undefined
        : await findMarked(
            codeDeploy,
            { applicationName: options.application, deploymentGroupName: options.deploymentGroup },
            marker,
            options.adoptSince.getTime(),
            signal,
          );
    if (!earlier?.deploymentId && (source.kind === 'lambda' || source.kind === 'ecs')) {
      // Building publishes a version or registers a task definition, and reads the alias or service
      // as it is now: with a deployment active in the group, that would change AWS for a deployment
      // that cannot be created yet, against a current version about to move. Wait (--queue) or refuse
      // first, so a busy group leaves nothing behind.
      for (let active = await activeDeploymentOf(codeDeploy, options, signal); active; ) {
        if (!options.queue)
          throw new DeploymentGroupBusyError(`${options.application}/${options.deploymentGroup}`, active);
        onQueued(active);
        await waitFor(active);
        active = await activeDeploymentOf(codeDeploy, options, signal);
      }
    }
    if (!earlier?.deploymentId && (source.kind === 'folder' || source.kind === 's3'))
      s3 ??= (await loadS3()).createS3Client(options);
    if (earlier?.deploymentId) {
      revision = earlier.revision ?? {};
    } else if (source.kind === 'folder') {
      const { pushCheckedRevision } = await loadPush();
      pushed = await pushCheckedRevision(checked.folder as CheckedRevision, {
        ...options,
        application: options.application,
        s3Location: source.s3Location,
        ...(source.format ? { format: source.format } : {}),
        ...(source.concurrency ? { concurrency: source.concurrency } : {}),
        ...(source.serverSideEncryption ? { serverSideEncryption: source.serverSideEncryption } : {}),
        // The revision gets push's own description: the deployment's (a Jenkins build line, say) is
        // about the deployment, and may be too long for a revision once the marker is added.
        description: undefined,
        clients: { codeDeploy, ...(s3 ? { s3 } : {}) },
        onProgress: (progress) => emit({ type: 'push', progress }),
      });
      revision = pushed.revision;
    } else if (source.kind === 's3') {
      revision = await s3BundleRevision(source, s3 as S3Client, signal);
    } else if (source.kind === 'github') {
      revision = githubRevision(source);
    } else if (source.kind === 'lambda') {
      lambda ??= (await loadLambdaClient()).createLambdaClient(options);
      const { lambdaRevision } = await loadLambdaRevision();
      const built = await lambdaRevision(source, {
        ...progress,
        lambda,
        zip: checked.zip,
        signal,
        clock: options.clock,
        pollMs: Math.min(1_000, options.pacing?.baseMs ?? 1_000),
      });
      revision = built.revision;
      details.lambda = built.lambda;
    } else if (source.kind === 'ecs') {
      ecs ??= (await loadEcsClient()).createEcsClient(options);
      if (Object.values(source.hooks ?? {}).some((hook) => hook)) {
        lambda ??= (await loadLambdaClient()).createLambdaClient(options);
      }
      const { ecsRevision } = await loadEcsRevision();
      const built = await ecsRevision(source, {
        ...progress,
        ecs,
        lambda,
        groupServices: group?.ecsServices,
        signal,
      });
      revision = built.revision;
      details.ecs = built.ecs;
    } else {
      revision = await appspecRevision(source, platform === 'ECS' ? 'ecs' : 'lambda', checked.appspec);
    }

    const input: CreateDeploymentInput = {
      applicationName: options.application,
      deploymentGroupName: options.deploymentGroup,
      revision,
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.deploymentConfig ? { deploymentConfigName: options.deploymentConfig } : {}),
      ...(options.fileExistsBehavior ? { fileExistsBehavior: options.fileExistsBehavior } : {}),
      ...(options.ignoreApplicationStopFailures !== undefined
        ? { ignoreApplicationStopFailures: options.ignoreApplicationStopFailures }
        : {}),
      ...(options.updateOutdatedInstancesOnly !== undefined
        ? { updateOutdatedInstancesOnly: options.updateOutdatedInstancesOnly }
        : {}),
      ...(autoRollbackConfiguration ? { autoRollbackConfiguration } : {}),
    };
    const gateOn = (deploymentId: string) =>
      gateDeployment({
        ...options,
        client: codeDeploy,
        deploymentId,
        region,
        actions,
        timeoutMs: Math.max(0, deadline - clockNow()),
        onTimeout: options.onTimeout ?? defaultStopPolicy(group),
        onCancel: options.onCancel ?? defaultStopPolicy(group),
        revisionDetails: details,
        onEvent: emit,
      });
    const created = earlier?.deploymentId
      ? { deploymentId: earlier.deploymentId, marker, adopted: true, queuedBehind: [] }
      : await createDeploymentOnce(codeDeploy, input, {
          signal,
          marker,
          queue: options.queue,
          onQueued,
          waitFor,
          onUncertain: (detail) => emit({ type: 'uncertain', detail }),
          clock: options.clock,
        }).catch(async (error: unknown) => {
          // Cancelled after a create call went out: it may have made a deployment, which must not be
          // left running unobserved. Find it by its marker and apply the cancel policy to it.
          if (!(error instanceof CreateInterruptedError) || error.sentSince === undefined)
            throw unwrapInterrupt(error);
          const found = await findMarked(
            codeDeploy,
            input,
            marker,
            error.sentSince - 5 * 60_000,
            AbortSignal.timeout(options.cancelBudgetMs ?? DEFAULT_CANCEL_BUDGET_MS),
          ).catch(() => undefined);
          if (!found?.deploymentId) throw error.cause;
          return { deploymentId: found.deploymentId, marker, adopted: true, queuedBehind: [] };
        });
    const deploymentId = created.deploymentId;
    actions.push({
      at: now(),
      kind: created.adopted ? 'adopted' : 'created',
      detail: created.adopted
        ? earlier?.deploymentId
          ? `${deploymentId} found by its marker ${created.marker}, created by an earlier attempt: not created again`
          : `${deploymentId} found by its marker ${created.marker} after a lost answer`
        : `${deploymentId} created (${created.marker})`,
    });
    emit({ type: 'created', deploymentId, adopted: created.adopted, revision });

    if (options.wait === false) {
      const info = await getDeployment(codeDeploy, deploymentId, { signal });
      const masking = new ReportMasking(options.masker);
      const deployment = buildDeploymentReport(info, [], region, {
        ...details,
        masking,
        awsConsole: await hasAwsConsole(codeDeploy),
      });
      const reported = actions.map((action) => masking.action(action));
      const report: GateReport = {
        schema: REPORT_SCHEMA,
        verdict: 'created',
        exitCode: 0,
        summary: '',
        region,
        generatedAt: now(),
        deployment,
        actions: reported,
        watch: newWatchStats(),
        maskedValues: masking.count,
      };
      report.summary = summarize(report);
      return { report, deploymentId, revision, ...(pushed ? { pushed } : {}), ...details };
    }
    const { report } = await gateOn(deploymentId);
    return { report, deploymentId, revision, ...(pushed ? { pushed } : {}), ...details };
  } finally {
    if (owned.codeDeploy) codeDeploy.destroy();
    if (owned.s3) s3?.destroy();
    if (owned.lambda) lambda?.destroy();
    if (owned.ecs) ecs?.destroy();
  }
}

/*
 * The S3 client and the packaging code load on first use, not at start: a bundled front end (the
 * GitHub Action) gets them as chunks it compiles only when needed, and a GitHub or AppSpec revision
 * never loads them. The local checks of a folder (scan and appspec rules) load before the first
 * request, which must not go out before they pass; the S3 client, upload and Lambda/ECS calls after. A bundle that imports them statically
 * anyway (the CLI's) gets no chunk: they are already in it. Import the modules themselves, not a
 * barrel, so that stays true.
 */
const loadS3 = () => import('../aws/s3-client.js');
const loadPush = () => import('../push/push-revision.js');
const loadLambdaClient = () => import('../aws/lambda-client.js');
const loadLambdaRevision = () => import('../lambda/lambda-revision.js');
const loadEcsClient = () => import('../aws/ecs-client.js');
const loadEcsRevision = () => import('../ecs/ecs-revision.js');

/** A cancellation before any create call went out surfaces as the abort it was. */
function unwrapInterrupt(error: unknown): unknown {
  return error instanceof CreateInterruptedError ? error.cause : error;
}

/**
 * Roll back on timeout or cancel when the group has a successful deployment to return to; otherwise
 * a rollback has nothing to deploy, so stop.
 */
export function defaultStopPolicy(group: DeploymentGroupInfo | undefined): 'rollback' | 'stop' {
  return group?.lastSuccessfulDeployment?.deploymentId ? 'rollback' : 'stop';
}

/** `--auto-rollback` choices as CreateDeployment's autoRollbackConfiguration (undefined: the group's). */
export function autoRollbackOf(
  choices: AutoRollbackChoice[] | undefined,
): AutoRollbackConfiguration | undefined {
  if (!choices || choices.length === 0) return undefined;
  if (choices.includes('disabled')) {
    if (choices.length > 1) {
      throw new InvalidInputError('--auto-rollback disabled cannot be combined with other events', {
        hint: 'Give either disabled, or any of on-failure, on-stop, on-alarm.',
      });
    }
    return { enabled: false };
  }
  return {
    enabled: true,
    events: [...new Set(choices.map((c) => AUTO_ROLLBACK_EVENTS[c as keyof typeof AUTO_ROLLBACK_EVENTS]))],
  };
}

export function assertSourceFits(source: RevisionSource, platform: ComputePlatform | undefined): void {
  if (source.kind === 'lambda' || source.kind === 'ecs') {
    const needs = source.kind === 'lambda' ? 'Lambda' : 'ECS';
    if (platform !== needs) {
      throw new InvalidInputError(
        `${needs === 'Lambda' ? 'a Lambda function revision needs a Lambda' : 'an ECS service revision needs an ECS'} application; this one uses the ${platform ?? 'Server'} compute platform; nothing was created`,
        {
          hint:
            platform === 'Lambda' || platform === 'ECS'
              ? `Deploy a ${platform === 'Lambda' ? 'Lambda function (function and alias)' : 'ECS service (task definition or image)'} to this application, or use the ${needs} application.`
              : 'Deploy a folder, an S3 bundle or a GitHub commit to this application, or use the Lambda/ECS application.',
        },
      );
    }
    return;
  }
  if (platform === 'Lambda' || platform === 'ECS') {
    if (source.kind === 'folder' || source.kind === 'github') {
      throw new InvalidInputError(
        `application uses the ${platform} compute platform, which deploys an AppSpec, not a ${source.kind === 'folder' ? 'folder' : 'GitHub commit'}`,
        {
          hint: `Deploy ${platform === 'Lambda' ? 'a function and alias' : 'a task definition or an image'}, an AppSpec file, or an S3 .yaml/.json AppSpec.`,
        },
      );
    }
    if (source.kind === 's3') {
      // CodeDeploy takes only an AppSpec from S3 for these platforms; say so before it does, vaguely.
      const bundleType = source.bundleType ?? bundleTypeOfKey(parseS3Url(source.url).key);
      if (bundleType !== undefined && bundleType !== 'YAML' && bundleType !== 'JSON') {
        throw new InvalidInputError(
          `application uses the ${platform} compute platform, which deploys an AppSpec, not a ${bundleType} bundle (${source.url}); nothing was created`,
          {
            hint: `Point at the AppSpec itself in S3 (a .yaml or .json object), or deploy ${platform === 'Lambda' ? 'a function and alias' : 'a task definition or an image'} directly.`,
          },
        );
      }
    }
  } else if (source.kind === 'appspec') {
    throw new InvalidInputError(
      '--appspec-content is for Lambda and ECS applications; this one is EC2/on-premises',
      {
        hint: 'Deploy a folder (with --s3-location s3://BUCKET/PREFIX), an S3 bundle or a GitHub commit instead.',
      },
    );
  }
}

export async function applicationPlatform(
  client: CodeDeployClient,
  application: string,
  signal: AbortSignal | undefined,
): Promise<ComputePlatform | undefined> {
  try {
    const { application: info } = await client.send(
      new GetApplicationCommand({ applicationName: application }),
      signal ? { abortSignal: signal } : {},
    );
    return info?.computePlatform;
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'ApplicationDoesNotExistException') {
      throw new InvalidInputError(
        `CodeDeploy application "${application}" does not exist; nothing was created`,
        {
          hint: 'Fix the application name, or create it first (aws deploy create-application --application-name NAME).',
          cause: error,
        },
      );
    }
    throw wrapAwsError(`reading CodeDeploy application "${application}"`, error);
  }
}

export async function deploymentGroup(
  client: CodeDeployClient,
  application: string,
  group: string,
  signal: AbortSignal | undefined,
): Promise<DeploymentGroupInfo | undefined> {
  try {
    const { deploymentGroupInfo } = await client.send(
      new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
      signal ? { abortSignal: signal } : {},
    );
    return deploymentGroupInfo;
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'DeploymentGroupDoesNotExistException') {
      throw new InvalidInputError(
        `deployment group "${group}" does not exist in application "${application}"; nothing was created`,
        {
          hint: `Fix the deployment group name (aws deploy list-deployment-groups --application-name ${application} lists them).`,
          cause: error,
        },
      );
    }
    throw wrapAwsError(`reading deployment group ${application}/${group}`, error);
  }
}

export async function assertDeploymentConfig(
  client: CodeDeployClient,
  name: string,
  platform: ComputePlatform | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  let configPlatform: ComputePlatform | undefined;
  try {
    const { deploymentConfigInfo } = await client.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: name }),
      signal ? { abortSignal: signal } : {},
    );
    configPlatform = deploymentConfigInfo?.computePlatform;
  } catch (error) {
    signal?.throwIfAborted();
    const code = (error as Error).name;
    if (code === 'DeploymentConfigDoesNotExistException' || code === 'InvalidDeploymentConfigNameException') {
      throw new InvalidInputError(`deployment configuration "${name}" does not exist; nothing was created`, {
        hint: 'Use a predefined one (CodeDeployDefault.OneAtATime, HalfAtATime, AllAtOnce) or create it first.',
        cause: error,
      });
    }
    throw wrapAwsError(`reading deployment configuration "${name}"`, error);
  }
  // CreateDeployment refuses a config of another platform, but only after a Lambda version was
  // published or a task definition registered: refuse it here, before anything is built.
  const wanted = platform ?? 'Server';
  if (configPlatform !== undefined && configPlatform !== wanted) {
    throw new InvalidInputError(
      `deployment configuration "${name}" is for the ${configPlatform} compute platform, and this application uses ${wanted}; nothing was created`,
      {
        hint:
          wanted === 'Lambda'
            ? 'Use a Lambda configuration, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes, or leave it out for the group’s.'
            : wanted === 'ECS'
              ? 'Use an ECS configuration, e.g. CodeDeployDefault.ECSLinear10PercentEvery1Minutes, or leave it out for the group’s.'
              : 'Use an EC2/on-premises configuration, e.g. CodeDeployDefault.OneAtATime, or leave it out for the group’s.',
      },
    );
  }
}

/** The deployment active in the group (Created, Queued, InProgress, Baking or Ready), if any. */
export async function activeDeploymentOf(
  client: CodeDeployClient,
  options: Pick<DeployOptions, 'application' | 'deploymentGroup'>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  try {
    const { deployments } = await client.send(
      new ListDeploymentsCommand({
        applicationName: options.application,
        deploymentGroupName: options.deploymentGroup,
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
      }),
      signal ? { abortSignal: signal } : {},
    );
    return deployments?.[0];
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(
      `listing the active deployments of ${options.application}/${options.deploymentGroup}`,
      error,
    );
  }
}
