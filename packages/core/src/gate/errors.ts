import { InvalidInputError } from '../errors/index.js';

/**
 * The deployment group already runs a deployment (CodeDeploy allows one at a time). Nothing was
 * created, so it exits 2 like other configuration problems; `--queue` waits instead.
 */
export class DeploymentGroupBusyError extends InvalidInputError {
  readonly activeDeploymentId: string | undefined;

  constructor(group: string, activeDeploymentId: string | undefined, options: { cause?: unknown } = {}) {
    super(
      `deployment group ${group} already has an active deployment${activeDeploymentId ? ` ${activeDeploymentId}` : ''}; nothing was created`,
      {
        hint: activeDeploymentId
          ? `Wait for it (codedeploy-gate wait ${activeDeploymentId}), stop it (codedeploy-gate stop ${activeDeploymentId}), or pass --queue to deploy after it ends.`
          : 'Wait for the active deployment to end, or pass --queue to deploy after it ends.',
        ...options,
      },
    );
    this.activeDeploymentId = activeDeploymentId;
  }
}

/**
 * A create call failed in a way that may have reached the service (5xx, reset, timeout). Internal to
 * createDeploymentOnce: it has no status code or retryable trait, so the SDK does not retry it.
 */
export class OutcomeUnknownError extends Error {
  override name = 'OutcomeUnknownError';

  /** The original failure; deliberately not `cause`, which the SDK's retry check follows. */
  readonly original: unknown;

  constructor(original: unknown) {
    super(`the create call's answer was lost (${describeFailure(original)})`);
    this.original = original;
  }
}

function describeFailure(error: unknown): string {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  return [e?.code ?? e?.name, status ? `HTTP ${status}` : undefined, e?.message].filter(Boolean).join(': ');
}

/**
 * Cancelled while creating the deployment. When a create call was sent (`sentSince` set), it may have
 * taken effect: the caller looks for the marked deployment and applies its cancel policy to it.
 */
export class CreateInterruptedError extends Error {
  override name = 'CreateInterruptedError';
  readonly sentSince: number | undefined;

  constructor(sentSince: number | undefined, cause: unknown) {
    super('cancelled while creating the deployment', { cause });
    this.sentSince = sentSince;
  }
}
