import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { JobData } from '@aws-sdk/client-codepipeline';
import {
  type AwsClientOptions,
  AwsError,
  deployAndGate,
  lookAtDeployment,
  markerFor,
  stopDeployment,
} from '@codedeploy-gate/core';
import { artifactRevision } from './artifact.js';
import { readSettings } from './configuration.js';
import type { Logger } from './log.js';
import { endedOutcome, errorOutcome, type JobOutcome, runningDetails } from './outcome.js';
import { type ContinuationState, decodeToken } from './token.js';

export interface JobContext {
  codeDeploy: CodeDeployClient;
  /** Region and environment for the clients core creates (the push's S3 client). */
  aws: AwsClientOptions;
  region: string;
  log: Logger;
  signal?: AbortSignal | undefined;
  now?: () => number;
}

/** Passing failures before the deployment exists are retried this many times, one follow-up job each. */
const START_ATTEMPTS = 5;
/** How far back a restarted worker looks for the deployment a dead one may have created. */
const ADOPT_WINDOW_MS = 25 * 3_600_000;

/**
 * Works out a job's outcome. A first job checks the configuration, resolves the input artifact and
 * creates the deployment (exactly once per action execution, whichever worker runs it, thanks to a
 * marker derived from the execution id); every follow-up job takes one look at the deployment. No job
 * waits for the deployment: CodePipeline hands the continuation token back on the next job.
 */
export async function runJob(jobId: string, data: JobData, context: JobContext): Promise<JobOutcome> {
  const token = data.continuationToken;
  const state = token ? decodeToken(token) : undefined;
  if (token && !state) {
    return errorOutcome(new Error(`continuation token not written by this worker: ${token.slice(0, 80)}`));
  }
  if (state?.kind === 'watch') return checkDeployment(state, context);
  return startDeployment(jobId, data, context, state?.attempt ?? 0);
}

async function startDeployment(
  jobId: string,
  data: JobData,
  context: JobContext,
  attempt: number,
): Promise<JobOutcome> {
  const now = context.now ?? Date.now;
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(data.actionConfiguration?.configuration, data.pipelineContext);
  } catch (error) {
    return errorOutcome(error);
  }
  const executionKey = data.pipelineContext?.action?.actionExecutionId ?? jobId;
  let artifact: Awaited<ReturnType<typeof artifactRevision>> | undefined;
  try {
    artifact = await artifactRevision(data, settings.bundlePath, context.aws, context.signal);
    const result = await deployAndGate({
      ...context.aws,
      application: settings.application,
      deploymentGroup: settings.deploymentGroup,
      source: artifact.source,
      deploymentConfig: settings.deploymentConfig,
      description: settings.description,
      wait: false,
      marker: markerFor(executionKey),
      adoptSince: new Date(now() - ADOPT_WINDOW_MS),
      signal: context.signal,
      // The artifact's own object is read with the job's credentials; a pushed folder goes up with
      // the worker's own (artifact credentials cover only the pipeline's artifact keys).
      clients: {
        codeDeploy: context.codeDeploy,
        ...(artifact.source.kind === 's3' ? { s3: artifact.s3 } : {}),
      },
    });
    context.log.info(
      result.report.actions.at(-1)?.kind === 'adopted' ? 'deployment found again' : 'deployment created',
      {
        deploymentId: result.deploymentId,
        application: settings.application,
        deploymentGroup: settings.deploymentGroup,
      },
    );
    const state: ContinuationState = {
      v: 1,
      kind: 'watch',
      deploymentId: result.deploymentId,
      deadline: now() + settings.timeoutMinutes * 60_000,
      timeoutMinutes: settings.timeoutMinutes,
      onTimeout: settings.onTimeout,
    };
    return await checkDeployment(state, context);
  } catch (error) {
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
    await artifact?.cleanup();
  }
}

async function checkDeployment(
  state: Extract<ContinuationState, { kind: 'watch' }>,
  context: JobContext,
): Promise<JobOutcome> {
  const now = context.now ?? Date.now;
  const { deploymentId } = state;
  try {
    const look = await lookAtDeployment(context.codeDeploy, deploymentId, {
      region: context.region,
      signal: context.signal,
    });
    if (look.state === 'ended') return endedOutcome(look, state.timedOut ? state.timeoutMinutes : undefined);
    if (state.timedOut || now() <= state.deadline) {
      return { kind: 'continue', state, details: runningDetails(look.deployment, look.info) };
    }
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

/** Throttling, network trouble, 5xx: worth another job; access denied and bad input are not. */
function isPassing(error: unknown): boolean {
  if (!(error instanceof AwsError)) return false;
  return !/AccessDenied|Unauthorized|NotAuthorized|Forbidden|Validation|NotFound|DoesNotExist/i.test(
    error.code ?? '',
  );
}
