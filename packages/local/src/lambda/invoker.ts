import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
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
      env: this.environment(configuration, version, event),
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
   * The few host variables a process needs to start and behave (see {@link hostEnvironment}), then
   * the function's own variables, then what Lambda and the local server set: the endpoint, region
   * and dummy credentials, and for a CodeDeploy hook the deployment and hook execution ids from the
   * event.
   */
  private environment(
    configuration: FunctionConfiguration,
    version: string,
    event: string,
  ): NodeJS.ProcessEnv {
    const env = hostEnvironment(process.env);
    Object.assign(env, configuration.Environment?.Variables ?? {});
    const hook = hookIds(event);
    return {
      ...env,
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

/** Host variables a local function gets, by name; `LC_*` by prefix. */
const HOST_VARIABLES = new Set([
  'PATH',
  'HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'TZ',
  'NODE_PATH',
  'SHELL',
  'USER',
  // The SDK's Node-version notice is no credential, and would fill every hook's log tail.
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
]);

/**
 * What a local function keeps of the host's environment: an allowlist, not a denylist. A CI host
 * holds credentials under any name (GITHUB_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, ACTIONS_RUNTIME_TOKEN,
 * NPM_TOKEN, a Jenkins job's bound credentials, the user's AWS_* keys); a function must not reach
 * them, nor print them into a log tail that GetDeploymentTarget or X-Amz-Log-Result hands out. A
 * function that needs a value gets it through its own `environment`, as on Lambda.
 */
function hostEnvironment(host: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(host)) {
    if (HOST_VARIABLES.has(key) || key.startsWith('LC_')) env[key] = value;
  }
  return env;
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
