import { createHash, randomBytes } from 'node:crypto';
import {
  BatchGetDeploymentsCommand,
  type CodeDeployClient,
  CreateDeploymentCommand,
  type CreateDeploymentInput,
  type DeploymentInfo,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { wrapAwsError } from '../errors/index.js';
import { type Clock, realClock } from './clock.js';
import { CreateInterruptedError, DeploymentGroupBusyError, OutcomeUnknownError } from './errors.js';
import { isRetryableAwsError, isThrottlingError } from './retryable.js';

/** CreateDeployment rejects descriptions longer than this. */
export const DESCRIPTION_LIMIT = 256;

/** The unique marker appended to a description: how a deployment we may have made is found again. */
export function newMarker(): string {
  return `[cdg:${randomBytes(6).toString('hex')}]`;
}

/**
 * The marker for an idempotency key (a CodePipeline action execution, say): every process working on
 * the same key makes the same marker, so one can find the deployment another one created.
 */
export function markerFor(key: string): string {
  return `[cdg:${createHash('sha256').update(key).digest('hex').slice(0, 12)}]`;
}

/** The description with the marker at the end, the user's text shortened (…) when both do not fit. */
export function markedDescription(description: string | undefined, marker: string): string {
  const text = (description ?? '').trim();
  const room = DESCRIPTION_LIMIT - marker.length - 1;
  if (text === '') return marker;
  return `${text.length > room ? `${text.slice(0, room - 1)}…` : text} ${marker}`;
}

/** The blocking deployment named by DeploymentLimitExceededException (both message forms AWS used). */
export function activeDeploymentIn(message: string | undefined): string | undefined {
  return /(?:is already deploying|already has an active Deployment) '(d-[A-Za-z0-9]+)'/.exec(
    message ?? '',
  )?.[1];
}

export interface CreateOnceOptions {
  signal?: AbortSignal | undefined;
  /** The description marker to use (default: a new one); the caller keeps it to find the deployment. */
  marker?: string | undefined;
  /** Wait for a deployment already active in the group instead of failing. */
  queue?: boolean | undefined;
  /**
   * Waits for the blocking deployment to end (the gate's watch); called with its id. Required with
   * `queue`.
   */
  waitFor?: ((activeDeploymentId: string) => Promise<void>) | undefined;
  /** Called when the group is busy and `queue` makes us wait. */
  onQueued?: ((activeDeploymentId: string) => void) | undefined;
  /** Called when a create call's outcome was unknown and we look for its deployment. */
  onUncertain?: ((detail: string) => void) | undefined;
  /** Create attempts whose outcome was unknown before giving up. Default 4. */
  maxAttempts?: number | undefined;
  clock?: Clock | undefined;
}

export interface CreateOnceResult {
  deploymentId: string;
  /** The marker in the description. */
  marker: string;
  /** True when the id came from finding our own deployment after a lost answer. */
  adopted: boolean;
  /** Deployments we waited for (with `queue`). */
  queuedBehind: string[];
}

/**
 * Creates one deployment, exactly once. CreateDeployment has no idempotency token, and the SDK's own
 * retries would repeat a create whose answer was lost (5xx, reset connection, timeout) and make a
 * second deployment. So this call goes out without SDK retries for those failures; when the outcome
 * is unknown we look for our deployment (same group, the marker in its description) before trying
 * again. Throttling is answered before anything is created, so the SDK may retry it as usual.
 */
export async function createDeploymentOnce(
  client: CodeDeployClient,
  input: CreateDeploymentInput,
  options: CreateOnceOptions = {},
): Promise<CreateOnceResult> {
  const clock = options.clock ?? realClock;
  const marker = options.marker ?? newMarker();
  const request: CreateDeploymentInput = {
    ...input,
    description: markedDescription(input.description, marker),
  };
  const where = `${input.applicationName}/${input.deploymentGroupName}`;
  const queuedBehind: string[] = [];
  const maxAttempts = options.maxAttempts ?? 4;
  let uncertain = 0;
  let firstSentAt: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw interrupted(firstSentAt, options.signal.reason);
    const attemptAt = clock.now();
    firstSentAt ??= attemptAt;
    try {
      const { deploymentId } = await client.send(
        withoutBlindRetries(new CreateDeploymentCommand(request)),
        options.signal ? { abortSignal: options.signal } : {},
      );
      if (!deploymentId) throw new Error('CreateDeployment answered without a deploymentId');
      return { deploymentId, marker, adopted: false, queuedBehind };
    } catch (error) {
      if (options.signal?.aborted) throw interrupted(firstSentAt, error);
      if (error instanceof OutcomeUnknownError) {
        uncertain += 1;
        options.onUncertain?.(`${error.message}; looking for the deployment before trying again`);
        const found = await findMarked(client, input, marker, attemptAt - 5 * 60_000, options.signal).catch(
          (lookupError: unknown) => {
            if (options.signal?.aborted) throw interrupted(firstSentAt, lookupError);
            throw lookupError;
          },
        );
        if (found?.deploymentId)
          return { deploymentId: found.deploymentId, marker, adopted: true, queuedBehind };
        if (uncertain >= maxAttempts) {
          throw wrapAwsError(`creating a deployment for ${where} (${uncertain} attempts)`, error.original);
        }
        await clock.sleep(1_000 * 2 ** (uncertain - 1), options.signal).catch((reason: unknown) => {
          throw interrupted(firstSentAt, reason);
        });
        continue;
      }
      if ((error as Error).name === 'DeploymentLimitExceededException') {
        const active = activeDeploymentIn((error as Error).message);
        if (active) {
          // A lost answer may have been ours after all: the active deployment carries our marker.
          const info = await describe(client, active, options.signal).catch((describeError: unknown) => {
            if (options.signal?.aborted) throw interrupted(firstSentAt, describeError);
            throw describeError;
          });
          if (info?.description?.includes(marker)) {
            return { deploymentId: active, marker, adopted: true, queuedBehind };
          }
          if (options.queue && options.waitFor) {
            options.onQueued?.(active);
            queuedBehind.push(active);
            // Nothing of ours exists while we wait for someone else's deployment.
            firstSentAt = undefined;
            await options.waitFor(active);
            continue;
          }
        }
        throw new DeploymentGroupBusyError(where, active, { cause: error });
      }
      throw wrapAwsError(`creating a deployment for ${where}`, error);
    }
  }
}

/** The caller's signal fired; `sentSince` is set when a create call may have taken effect. */
function interrupted(sentSince: number | undefined, cause: unknown): CreateInterruptedError {
  return new CreateInterruptedError(sentSince, cause);
}

/**
 * Marks failures that may have reached the service as OutcomeUnknownError, which the SDK's retry
 * strategy does not retry (it carries no status, code or retryable trait). The middleware sits in the
 * deserialize step, inside the retry loop, so it sees every attempt's failure.
 */
function withoutBlindRetries(command: CreateDeploymentCommand): CreateDeploymentCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isThrottlingError(error) && isRetryableAwsError(error)) throw new OutcomeUnknownError(error);
        throw error;
      }
    },
    { step: 'deserialize', name: 'codedeployGateOutcomeUnknown', priority: 'high' },
  );
  return command;
}

/** Our deployment in the group, found by its marker among those created since `since`. */
export async function findMarked(
  client: CodeDeployClient,
  input: CreateDeploymentInput,
  marker: string,
  since: number,
  signal: AbortSignal | undefined,
): Promise<DeploymentInfo | undefined> {
  const options = signal ? { abortSignal: signal } : {};
  try {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListDeploymentsCommand({
          applicationName: input.applicationName,
          deploymentGroupName: input.deploymentGroupName,
          createTimeRange: { start: new Date(since) },
          nextToken,
        }),
        options,
      );
      const ids = page.deployments ?? [];
      for (let i = 0; i < ids.length; i += 25) {
        const batch = await client.send(
          new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + 25) }),
          options,
        );
        const mine = (batch.deploymentsInfo ?? []).find((d) => d.description?.includes(marker));
        if (mine) return mine;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  } catch (error) {
    signal?.throwIfAborted();
    // Without the lookup we cannot know whether a retry would make a second deployment: stop here.
    throw wrapAwsError(
      `a create call for ${input.applicationName}/${input.deploymentGroupName} may have succeeded, and looking for its deployment (description containing ${marker}) failed`,
      error,
    );
  }
}

async function describe(
  client: CodeDeployClient,
  deploymentId: string,
  signal: AbortSignal | undefined,
): Promise<DeploymentInfo | undefined> {
  try {
    const { deploymentsInfo } = await client.send(
      new BatchGetDeploymentsCommand({ deploymentIds: [deploymentId] }),
      signal ? { abortSignal: signal } : {},
    );
    return deploymentsInfo?.[0];
  } catch (error) {
    signal?.throwIfAborted();
    throw wrapAwsError(`reading deployment ${deploymentId}, which is active in the group`, error);
  }
}
