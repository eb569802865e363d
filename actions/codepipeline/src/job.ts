import { join } from 'node:path';
import type { CodeDeployClient, DeploymentWaitType } from '@aws-sdk/client-codedeploy';
import type { JobData } from '@aws-sdk/client-codepipeline';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  type AwsClientOptions,
  AwsError,
  CONTINUE_MEANING,
  continueDeployment,
  type DeploymentLook,
  deployAndGate,
  InvalidInputError,
  lookAtDeployment,
  MAX_READ_SIZE,
  markerFor,
  type RevisionSource,
  readRegularFile,
  stopDeployment,
  WAIT_MEANING,
  waitTypeOf,
} from '@codedeploy-gate/core';
import { artifactRevision, type UnpackedArtifact, unpackArtifact } from './artifact.js';
import { type DeploySettings, readSettings } from './configuration.js';
import type { Logger } from './log.js';
import { endedOutcome, errorOutcome, type JobOutcome, runningDetails } from './outcome.js';
import { imageUriOf, specRevisionSource } from './spec-source.js';
import { type CheckRecord, type ContinuationState, decodeToken } from './token.js';
import { type CheckRun, runCheck } from './wait-check.js';

export interface JobContext {
  codeDeploy: CodeDeployClient;
  /** Region and environment for the clients core creates (the push's S3 client). */
  aws: AwsClientOptions;
  region: string;
  log: Logger;
  signal?: AbortSignal | undefined;
  /** The longest a ContinueAfter check may run (it runs within one job). */
  checkTimeoutMs: number;
  now?: () => number;
}

/** Passing failures before the deployment exists are retried this many times, one follow-up job each. */
const START_ATTEMPTS = 5;
/** How far back a restarted worker looks for the deployment a dead one may have created. */
const ADOPT_WINDOW_MS = 25 * 3_600_000;

/**
 * Works out a job's outcome. A first job checks the configuration, resolves the revision (the input
 * artifact, a folder of it, or the Lambda/ECS revision its RevisionSpec describes) and creates the
 * deployment (exactly once per action execution, whichever worker runs it, thanks to a marker derived
 * from the execution id); every follow-up job takes one look at the deployment, and in a blue/green
 * wait runs ContinueAfter. No job waits for the deployment: CodePipeline hands the continuation token
 * back on the next job.
 */
export async function runJob(jobId: string, data: JobData, context: JobContext): Promise<JobOutcome> {
  const token = data.continuationToken;
  const state = token ? decodeToken(token) : undefined;
  if (token && !state) {
    return errorOutcome(new Error(`continuation token not written by this worker: ${token.slice(0, 80)}`));
  }
  let settings: DeploySettings;
  try {
    settings = readSettings(data.actionConfiguration?.configuration, data.pipelineContext);
  } catch (error) {
    return errorOutcome(error, state?.kind === 'watch' ? state.deploymentId : undefined);
  }
  if (state?.kind === 'watch') return checkDeployment(state, { data, settings, context });
  return startDeployment(jobId, data, settings, context, state?.attempt ?? 0);
}

async function startDeployment(
  jobId: string,
  data: JobData,
  settings: DeploySettings,
  context: JobContext,
  attempt: number,
): Promise<JobOutcome> {
  const now = context.now ?? Date.now;
  const executionKey = data.pipelineContext?.action?.actionExecutionId ?? jobId;
  let revision: JobRevision | undefined;
  try {
    revision = await jobRevision(data, settings, context);
    const result = await deployAndGate({
      ...context.aws,
      application: settings.application,
      deploymentGroup: settings.deploymentGroup,
      source: revision.source,
      deploymentConfig: settings.deploymentConfig,
      description: settings.description,
      wait: false,
      marker: markerFor(executionKey),
      adoptSince: new Date(now() - ADOPT_WINDOW_MS),
      signal: context.signal,
      // The artifact's own object is read with the job's credentials; a pushed folder goes up with
      // the worker's own (artifact credentials cover only the pipeline's artifact keys). Lambda and
      // ECS clients are core's, with the worker's credentials.
      clients: { codeDeploy: context.codeDeploy, ...(revision.s3 ? { s3: revision.s3 } : {}) },
      onEvent: (event) => {
        if (event.type === 'revision') context.log.info('revision', { detail: event.detail });
        if (event.type === 'push' && event.progress.stage === 'packaged') {
          for (const notice of event.progress.notices) {
            const fields = { code: notice.code, paths: notice.paths.length };
            if (notice.severity === 'warning') context.log.warn(notice.message, fields);
            else context.log.info(notice.message, fields);
          }
        }
      },
    });
    context.log.info(
      result.report.actions.at(-1)?.kind === 'adopted' ? 'deployment found again' : 'deployment created',
      {
        deploymentId: result.deploymentId,
        application: settings.application,
        deploymentGroup: settings.deploymentGroup,
        ...(result.lambda
          ? {
              lambda: `${result.lambda.functionName}:${result.lambda.alias} version ${result.lambda.currentVersion} → ${result.lambda.targetVersion} (${result.lambda.origin})`,
            }
          : {}),
        ...(result.ecs
          ? {
              ecs: `${result.ecs.cluster}/${result.ecs.service} → ${result.ecs.taskDefinition} (${result.ecs.origin})`,
            }
          : {}),
      },
    );
    const state: WatchState = {
      v: 1,
      kind: 'watch',
      deploymentId: result.deploymentId,
      deadline: now() + settings.timeoutMinutes * 60_000,
      timeoutMinutes: settings.timeoutMinutes,
      onTimeout: settings.onTimeout,
    };
    return await checkDeployment(state, { data, settings, context });
  } catch (error) {
    revision?.relabel(error);
    if (isPassing(error) && attempt + 1 < START_ATTEMPTS) {
      context.log.warn('creating the deployment failed for now; a follow-up job retries', {
        attempt: attempt + 1,
        error: (error as Error).message,
      });
      return {
        kind: 'continue',
        state: { v: 1, kind: 'retry-start', attempt: attempt + 1 },
        details: { summary: `AWS did not answer (${(error as Error).message}); retrying` },
      };
    }
    return errorOutcome(error);
  } finally {
    await revision?.cleanup();
  }
}

/** What a first job deploys, and what to clean up after. */
interface JobRevision {
  source: RevisionSource;
  /** S3 with the job's artifact credentials, when the artifact's object is the revision. */
  s3?: S3Client | undefined;
  /** Names temporary paths in an error's message as the artifact's (`Release:deploy/taskdef.json`). */
  relabel(error: unknown): void;
  cleanup(): Promise<void>;
}

async function jobRevision(
  data: JobData,
  settings: DeploySettings,
  context: JobContext,
): Promise<JobRevision> {
  const signal = context.signal;
  if (settings.revisionSpec === undefined) {
    const artifact = await artifactRevision(data, settings.bundlePath, context.aws, signal);
    return {
      source: artifact.source,
      ...(artifact.source.kind === 's3' ? { s3: artifact.s3 } : {}),
      relabel: () => {},
      cleanup: artifact.cleanup,
    };
  }
  const unpacked: UnpackedArtifact[] = [];
  const cleanup = async () => {
    for (const artifact of unpacked) await artifact.cleanup();
  };
  const relabel = (error: unknown) => {
    if (!(error instanceof Error)) return;
    for (const artifact of unpacked)
      error.message = error.message.replaceAll(`${artifact.dir}/`, `${artifact.name}:`);
  };
  try {
    const main = await unpackArtifact(data, context.aws, { signal });
    unpacked.push(main);
    const specPath = settings.revisionSpec;
    const source = await specRevisionSource({
      artifact: main,
      specPath,
      imageOf: async (name, field) => {
        const names = (data.inputArtifacts ?? []).map((a) => a.name);
        if (!names.includes(name)) {
          throw new InvalidInputError(
            `RevisionSpec ${specPath}: ${field} names ${name}, which is not an input artifact of this action (it has ${names.join(', ')}); nothing was created`,
            {
              hint: `Add ${name} (an ECR source action's output) to the action's input artifacts, or fix the name.`,
            },
          );
        }
        const image = await unpackArtifact(data, context.aws, { name, signal });
        unpacked.push(image);
        const text = await readRegularFile(join(image.dir, 'imageDetail.json'), {
          what: 'the image detail file',
          maxBytes: MAX_READ_SIZE,
        }).catch((error: InvalidInputError) => {
          if ((error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
          throw error;
        });
        if (text === undefined) {
          throw new InvalidInputError(
            `RevisionSpec ${specPath}: ${field}: the input artifact ${name} has no imageDetail.json; nothing was created`,
            {
              hint: `Point it at an ECR source action's output artifact (its top level holds: ${await image.topLevel()}).`,
            },
          );
        }
        return imageUriOf(
          text.toString('utf8'),
          `imageDetail.json of input artifact ${name} (RevisionSpec ${field})`,
        );
      },
    });
    return { source, relabel, cleanup };
  } catch (error) {
    relabel(error);
    await cleanup();
    throw error;
  }
}

type WatchState = Extract<ContinuationState, { kind: 'watch' }>;

interface WatchJob {
  data: JobData;
  settings: DeploySettings;
  context: JobContext;
}

async function checkDeployment(state: WatchState, job: WatchJob): Promise<JobOutcome> {
  const { context, settings } = job;
  const now = context.now ?? Date.now;
  const { deploymentId } = state;
  const look = (): Promise<DeploymentLook> =>
    lookAtDeployment(context.codeDeploy, deploymentId, { region: context.region, signal: context.signal });
  const ended = (found: Extract<DeploymentLook, { state: 'ended' }>, checks = state.checks) =>
    endedOutcome(found, {
      timedOutAfter: state.timedOut ? state.timeoutMinutes : undefined,
      checks,
      continueAfter: settings.continueAfter,
    });
  try {
    const found = await look();
    if (found.state === 'ended') return ended(found);
    if (!state.timedOut && now() > state.deadline) return await applyTimeoutPolicy(state, found, context);
    const wait = state.timedOut ? undefined : waitTypeOf(found.info);
    const checked = state.checks?.some((check) => check.wait === wait);
    if (wait === undefined || checked) {
      return { kind: 'continue', state, details: runningDetails(found.deployment, found.info) };
    }
    const meaning = `${wait} (${WAIT_MEANING[wait]})`;
    const command = settings.continueAfter;
    if (command === undefined) {
      const note = `${meaning}: waiting for ContinueDeployment (no ContinueAfter set)`;
      return { kind: 'continue', state, details: runningDetails(found.deployment, found.info, note) };
    }
    if (state.verify !== wait) {
      // Said on the console first: the check runs in the next job, and its summary stays up meanwhile.
      const note = `${meaning}: verifying with ContinueAfter \`${command}\``;
      context.log.info('deployment waits; the next job runs ContinueAfter', { deploymentId, waitType: wait });
      return {
        kind: 'continue',
        state: { ...state, verify: wait },
        details: runningDetails(found.deployment, found.info, note),
      };
    }
    const outcome = await verifyWait(state, wait, command, job);
    if (outcome.kind !== 'stopped') return outcome.result;
    const after = await look();
    if (after.state === 'ended') return ended(after, outcome.state.checks);
    return {
      kind: 'continue',
      state: outcome.state,
      details: runningDetails(after.deployment, after.info, outcome.note),
    };
  } catch (error) {
    // The deployment runs on without us: a passing failure only costs this look.
    if (isPassing(error)) {
      context.log.warn('reading the deployment failed for now; a follow-up job looks again', {
        deploymentId,
        error: (error as Error).message,
      });
      return {
        kind: 'continue',
        state,
        details: {
          externalExecutionId: deploymentId,
          summary: `${deploymentId}: AWS did not answer; looking again`,
        },
      };
    }
    return errorOutcome(error, deploymentId);
  }
}

async function applyTimeoutPolicy(
  state: WatchState,
  look: Extract<DeploymentLook, { state: 'running' }>,
  context: JobContext,
): Promise<JobOutcome> {
  const { deploymentId } = state;
  if (state.onTimeout === 'leave') {
    return errorOutcome(
      new Error(
        `timed out after ${state.timeoutMinutes} minutes (TimeoutMinutes); deployment ${deploymentId} is still ${look.info.status} and was left running (OnTimeout leave)`,
      ),
      deploymentId,
    );
  }
  const stop = await stopDeployment(context.codeDeploy, deploymentId, {
    rollback: state.onTimeout === 'rollback',
  });
  context.log.warn('timed out: deployment stopped', {
    deploymentId,
    policy: state.onTimeout,
    status: stop.status,
  });
  return {
    kind: 'continue',
    state: { ...state, timedOut: true },
    details: {
      externalExecutionId: deploymentId,
      summary: `timed out after ${state.timeoutMinutes} minutes: StopDeployment${state.onTimeout === 'rollback' ? ' with rollback' : ''}`,
    },
  };
}

/**
 * Runs ContinueAfter for a wait, within this job (a check is a process on this worker: a follow-up
 * job may go to another worker, so it cannot span jobs), killed at `checkTimeoutMs` or at the action's
 * deadline. Passed: ContinueDeployment. Failed: StopDeployment with rollback. Cut off because this
 * worker is stopping: nothing is decided, and the next job (any worker's) runs it again.
 */
async function verifyWait(
  state: WatchState,
  wait: DeploymentWaitType,
  command: string,
  job: WatchJob,
): Promise<{ kind: 'answered'; result: JobOutcome } | { kind: 'stopped'; state: WatchState; note: string }> {
  const { context, data } = job;
  const now = context.now ?? Date.now;
  const { deploymentId } = state;
  const log = context.log.child({ deploymentId, waitType: wait });
  const timeoutMs = Math.max(1_000, Math.min(context.checkTimeoutMs, state.deadline - now()));
  let run: CheckRun;
  let artifact: UnpackedArtifact | undefined;
  try {
    artifact = await unpackArtifact(data, context.aws, { signal: context.signal });
    log.info('running ContinueAfter', { timeoutMs });
    run = await runCheck(command, {
      cwd: artifact.dir,
      deploymentId,
      waitType: wait,
      timeoutMs,
      signal: context.signal,
      log,
    });
  } catch (error) {
    if (context.signal?.aborted) run = { ok: false, exitCode: null, killedBy: 'cancel', tail: '' };
    else if (isPassing(error)) throw error;
    else
      run = {
        ok: false,
        exitCode: null,
        tail: `could not unpack the input artifact: ${(error as Error).message}`,
      };
  } finally {
    await artifact?.cleanup();
  }
  const { verify: _done, ...rest } = state;
  if (run.killedBy === 'cancel') {
    log.warn('ContinueAfter cut off by the worker stopping; the next job runs it again');
    return {
      kind: 'answered',
      result: {
        kind: 'continue',
        state,
        details: {
          externalExecutionId: deploymentId,
          summary: `${deploymentId} ${wait}: the worker stopped during ContinueAfter; it runs again`,
        },
      },
    };
  }
  if (run.ok) {
    const continued = await continueDeployment(context.codeDeploy, deploymentId, wait, context.signal);
    const check: CheckRecord = { wait, at: now(), result: continued ? 'passed' : 'late' };
    log.info('ContinueAfter passed', { continued });
    return {
      kind: 'answered',
      result: {
        kind: 'continue',
        state: { ...rest, checks: [...(state.checks ?? []), check] },
        details: {
          externalExecutionId: deploymentId,
          summary: `${deploymentId} ${wait}: ContinueAfter \`${command}\` passed; ${
            continued ? `ContinueDeployment sent: ${CONTINUE_MEANING[wait]}` : 'the wait had already ended'
          }`,
        },
      },
    };
  }
  const check: CheckRecord = {
    wait,
    at: now(),
    result: 'failed',
    exitCode: run.exitCode,
    ...(run.killedBy === 'timeout' ? { killedBy: 'timeout' as const } : {}),
    ...(run.tail ? { tail: run.tail } : {}),
    ...(run.masked ? { masked: run.masked } : {}),
  };
  const stop = await stopDeployment(context.codeDeploy, deploymentId, { rollback: true });
  // AlreadyCompleted: the wait ran out while the check ran and CodeDeploy finished the deployment;
  // the stage still fails (endedOutcome), but nothing was stopped.
  const tooLate = stop.status === 'AlreadyCompleted';
  log.warn(
    tooLate
      ? 'ContinueAfter failed after the deployment had completed: too late to stop it'
      : 'ContinueAfter failed: deployment stopped with rollback',
    { exitCode: run.exitCode ?? undefined, killedBy: run.killedBy, status: stop.status },
  );
  return {
    kind: 'stopped',
    state: { ...rest, checks: [...(state.checks ?? []), check] },
    note: `${wait}: ContinueAfter \`${command}\` failed; ${tooLate ? 'too late to stop the deployment' : 'StopDeployment with rollback'}`,
  };
}

/** Throttling, network trouble, 5xx: worth another job; access denied and bad input are not. */
function isPassing(error: unknown): boolean {
  if (!(error instanceof AwsError)) return false;
  return !/AccessDenied|Unauthorized|NotAuthorized|Forbidden|Validation|NotFound|DoesNotExist/i.test(
    error.code ?? '',
  );
}
