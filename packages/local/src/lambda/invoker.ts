import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { UserCodeLauncher } from '../processes/index.js';
import type { Store } from '../state/index.js';
import { functionNotFound } from './errors.js';
import { pickRoutedVersion, resolveQualifier } from './lookup.js';
import { type FunctionReference, functionArn, type LambdaScope } from './names.js';
import { type RunOutcome, runLocalFunction } from './runner.js';

export interface FunctionInvokerOptions {
  store: Store;
  scope: LambdaScope;
  /** This server's endpoint: functions call back into it (PutLifecycleEventHookExecutionStatus). */
  endpoint: string;
  /** Starts runners with the allowlisted environment, and stops what they leave at the server's close. */
  launcher: UserCodeLauncher;
  log: (line: string) => void;
}

/** One invocation: the version that ran and what its runner did. */
export interface Invocation {
  /** `$LATEST` or the version number (X-Amz-Executed-Version). */
  version: string;
  requestId: string;
  /** The configuration's Timeout the invocation ran under. */
  timeoutSeconds: number;
  outcome: RunOutcome;
}

/**
 * Resolves what an invocation runs (a qualifier, an alias's weighted versions) and runs that
 * version's runner with the environment a local function gets. Keeps every running invocation so
 * that closing the server ends them.
 */
export class FunctionInvoker {
  private readonly running = new Set<{ controller: AbortController; done: Promise<unknown> }>();

  constructor(private readonly options: FunctionInvokerOptions) {}

  /** Runs the function; throws ResourceNotFoundException when the function or qualifier is unknown. */
  invoke(
    reference: FunctionReference,
    qualifier: string | undefined,
    event: string,
    signal?: AbortSignal,
  ): Promise<Invocation> {
    const { store, scope } = this.options;
    const fn = reference.foreign ? undefined : store.state.lambda.functions[reference.name];
    if (!fn) throw functionNotFound(reference.foreign ?? functionArn(scope, reference.name));
    let resolved = resolveQualifier(scope, fn, qualifier);
    if (resolved.alias) resolved = resolveQualifier(scope, fn, pickRoutedVersion(resolved.alias));
    const { record, version } = resolved;
    const requestId = randomUUID();
    const configuration = record.configuration;
    const timeoutSeconds = configuration.Timeout ?? 3;
    if (!record.runner) {
      return Promise.resolve({
        version,
        requestId,
        timeoutSeconds,
        outcome: {
          kind: 'failed',
          error: {
            errorType: 'Runtime.NoLocalRunner',
            errorMessage: `${reference.name} (version ${version}) has no local runner to play it: give the function a runner ({command} or {module, handler}) with compute.putFunction or PUT /__local/compute`,
          },
          log: '',
        },
      });
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    const done = runLocalFunction({
      runner: record.runner,
      event,
      launcher: this.options.launcher,
      variables: { ...configuration.Environment?.Variables },
      serviceVariables: this.serviceVariables(configuration, version, event),
      timeoutMs: timeoutSeconds * 1000,
      info: {
        functionName: reference.name,
        functionVersion: version,
        invokedFunctionArn: functionArn(scope, reference.name, qualifier),
        awsRequestId: requestId,
        memoryLimitInMB: configuration.MemorySize ?? 128,
      },
      signal: controller.signal,
    }).then((outcome) => ({ version, requestId, timeoutSeconds, outcome }));
    const entry = { controller, done };
    this.running.add(entry);
    return done.finally(() => {
      this.running.delete(entry);
      signal?.removeEventListener('abort', onAbort);
    });
  }

  /** Ends every running invocation (server close). */
  async close(): Promise<void> {
    const entries = [...this.running];
    for (const entry of entries) entry.controller.abort();
    await Promise.allSettled(entries.map((entry) => entry.done));
  }

  /**
   * What Lambda and the local server set over the function's own variables (the launcher puts the
   * few host variables a process needs under both): the endpoint, region and dummy credentials, and
   * for a CodeDeploy hook the deployment and hook execution ids from the event.
   */
  private serviceVariables(
    configuration: FunctionConfiguration,
    version: string,
    event: string,
  ): Record<string, string> {
    const hook = hookIds(event);
    return {
      AWS_ENDPOINT_URL: this.options.endpoint,
      AWS_REGION: this.options.scope.region,
      AWS_DEFAULT_REGION: this.options.scope.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: configuration.FunctionName ?? '',
      AWS_LAMBDA_FUNCTION_VERSION: version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(configuration.MemorySize ?? 128),
      ...(hook.deploymentId ? { CODEDEPLOY_DEPLOYMENT_ID: hook.deploymentId } : {}),
      ...(hook.hookExecutionId ? { CODEDEPLOY_HOOK_EXECUTION_ID: hook.hookExecutionId } : {}),
    };
  }
}

/** `{DeploymentId, LifecycleEventHookExecutionId}`, the event CodeDeploy invokes hook functions with. */
function hookIds(event: string): { deploymentId?: string; hookExecutionId?: string } {
  try {
    const parsed = JSON.parse(event) as { DeploymentId?: unknown; LifecycleEventHookExecutionId?: unknown };
    return {
      ...(typeof parsed?.DeploymentId === 'string' ? { deploymentId: parsed.DeploymentId } : {}),
      ...(typeof parsed?.LifecycleEventHookExecutionId === 'string'
        ? { hookExecutionId: parsed.LifecycleEventHookExecutionId }
        : {}),
    };
  } catch {
    return {};
  }
}
