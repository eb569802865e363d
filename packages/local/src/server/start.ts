import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EmbeddedS3, startEmbeddedS3 } from '@codedeploy-gate/s3-emulator';
import { createLocalAgent } from '../agent/index.js';
import { type JobTimings, startLocalCodePipeline } from '../codepipeline/index.js';
import {
  applyComputeSeed,
  type ComputeSeed,
  type ComputeServices,
  createComputeServices,
  type LocalCompute,
  validateComputeSeed,
} from '../compute/index.js';
import { createDeploymentEngine } from '../engine/index.js';
import { FaultInjector, type FaultRule } from '../faults/index.js';
import { isLambdaRequest, lambdaOperationOf } from '../lambda/index.js';
import { checkPassThrough, UserCodeLauncher } from '../processes/index.js';
import { Recorder, type RequestWatch } from '../recording/index.js';
import { type AlarmState, Store } from '../state/index.js';
import { checkCodeDeployInput } from '../wire/codedeploy-constraints.js';
import { CODEDEPLOY_TIMESTAMP_INPUTS, JSON_11_CONTENT_TYPE } from '../wire/json-protocol.js';
import {
  type JsonService,
  newRequestId,
  sendJsonError,
  serveJsonRequest,
  tableService,
} from '../wire/json-service.js';
import type { DeploymentEngineHandle, OperationContext } from '../wire/operation.js';
import { ServiceError } from '../wire/service-error.js';
import { ADMIN_PREFIX, serveAdmin } from './admin.js';
import { injectFault } from './faults.js';
import { codeDeployOperations } from './operations.js';

export interface LocalCodeDeployOptions {
  /** Port to listen on; default 0 (a free port). The CLI defaults to 4599. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Keeps state (CodeDeploy records, S3 objects, instance folders) across restarts; default a temp dir removed on close. */
  stateDir?: string;
  /** Where the agent finds GitHub revisions (`<owner>/<repo>` git repositories or tarballs). */
  githubDir?: string;
  /** Faults to inject from the start (off by default); change them with setFaults or PUT /__local/faults. */
  faults?: FaultRule[];
  /** Seed for fault draws, so a test sees the same faults every run. */
  seed?: number;
  /**
   * CodePipeline job lifecycle durations (ack timeout 60 s, job timeout 20 min, continuation delay
   * 1 s by default); tests set them to a few hundred milliseconds.
   */
  pipelines?: Partial<JobTimings>;
  /**
   * How long one "minute" of a Lambda/ECS deployment lasts, in milliseconds: deployment config
   * intervals (canary, linear), blue/green waits and the 60-minute hook timeout. Default 60000; tests
   * use 50-200.
   */
  minuteMs?: number;
  /**
   * Lambda functions, ECS task definitions, clusters and services, and alarm states to create at
   * start. With a state dir that already holds them, existing ones are left as they are.
   */
  compute?: ComputeSeed;
  /**
   * Variables every hook script and local function gets on top of the few host variables user code
   * gets (PATH, HOME, LANG...): nothing else of this process's environment reaches user code. The
   * CLI's `--hook-env NAME[=VALUE]` and `--hook-env-file FILE`.
   */
  hookEnvironment?: Readonly<Record<string, string>>;
  log?: (line: string) => void;
}

export interface LocalCodeDeploy {
  /** `http://HOST:PORT`: the CodeDeploy, CodePipeline and S3 endpoint (AWS_ENDPOINT_URL). */
  endpoint: string;
  port: number;
  stateDir: string;
  /** One folder per registered on-premises instance. */
  instancesDir: string;
  store: Store;
  engine: DeploymentEngineHandle;
  /** The local Lambda, ECS and alarms: seed functions and services, read what deployments did. */
  compute: LocalCompute;
  /** Sets a CloudWatch alarm's state, as `PUT /__local/alarms/NAME` does. */
  setAlarm(name: string, state: AlarmState): void;
  setFaults(rules: FaultRule[]): void;
  /**
   * Stops deployments and pipeline timers and every process hooks and functions left running,
   * closes connections, removes the state dir if it was a temporary one. Lambda and ECS deployments
   * are left InProgress/Ready, as a crash leaves them: the next start on the same state dir fails
   * them and rolls them back per their group.
   */
  close(): Promise<void>;
}

const ACCOUNT_ID = '111122223333';
const REGION = 'us-east-1';

/** A JSON service mounted on the port, found by its X-Amz-Target prefix. */
interface Route {
  service: JsonService;
  /** Prefix of its operations' names in fault rules (`ECS:`); CodeDeploy's and CodePipeline's have none. */
  faultPrefix?: string;
}

/**
 * Starts the local CodeDeploy: CodeDeploy, CodePipeline and ECS (AWS JSON 1.1), Lambda (REST-JSON)
 * and S3 (path style) on one HTTP port, the admin endpoint under `/__local/`, the deployment engine
 * driving the local agent and the local Lambda and ECS, and the pipeline engine handing custom
 * actions' jobs to job workers.
 */
export async function startLocalCodeDeploy(options: LocalCodeDeployOptions = {}): Promise<LocalCodeDeploy> {
  const log = options.log ?? (() => {});
  // Checked before anything is created, so a bad option leaves nothing behind.
  const seed = options.compute === undefined ? undefined : validateComputeSeed(options.compute);
  const minuteMs = validMinute(options.minuteMs);
  const hookEnvironment = checkPassThrough(options.hookEnvironment ?? {});
  const host = options.host ?? '127.0.0.1';
  const temporary = options.stateDir === undefined;
  const stateDir = options.stateDir
    ? resolve(options.stateDir)
    : await mkdtemp(join(tmpdir(), 'codedeploy-gate-local-'));
  const instancesDir = join(stateDir, 'instances');
  mkdirSync(instancesDir, { recursive: true });
  const store = new Store(stateDir);
  const faults = new FaultInjector(options.faults ?? [], options.seed);
  const s3 = startEmbeddedS3(join(stateDir, 's3'), log);
  // Filled once the port is known: the agent downloads bundles from this very server.
  const routes: Route[] = [];
  let compute: ComputeServices | undefined;

  const recorder = Recorder.fromEnvironment();
  const server = createServer((req, res) => {
    const watch = recorder?.watch(req, res);
    route(req, res, { routes, compute, s3, faults, ...(watch ? { watch } : {}) }, log).catch(
      (error: unknown) => {
        log(`request failed: ${String(error)}`);
        if (!res.headersSent)
          sendJsonError(res, newRequestId(), 'InternalFailure', 'An internal error occurred.', 500);
      },
    );
  });
  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    // Nothing listens: leave nothing behind either (a temporary state dir, the S3 store's logger).
    s3.close();
    if (temporary) await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const now = () => new Date();
  // Before any hook or function can run: stops what the last server on this state dir left running.
  const launcher = await UserCodeLauncher.open(stateDir, { passThrough: hookEnvironment, log });
  compute = createComputeServices({
    store,
    accountId: ACCOUNT_ID,
    region: REGION,
    endpoint,
    codeDir: join(stateDir, 'lambda'),
    launcher,
    now,
    log,
  });
  if (seed) {
    try {
      applyComputeSeed(store, { accountId: ACCOUNT_ID, region: REGION }, seed, now(), true);
    } catch (error) {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      s3.close();
      await launcher.close();
      if (temporary) await rm(stateDir, { recursive: true, force: true });
      throw error;
    }
  }
  const computeServices = compute;
  const agent = createLocalAgent({
    endpoint,
    ...(options.githubDir ? { githubDir: options.githubDir } : {}),
    launcher,
    log,
  });
  const engine = createDeploymentEngine({
    store,
    agent,
    instancesDir,
    now,
    log,
    region: REGION,
    accountId: ACCOUNT_ID,
    ...(minuteMs !== undefined ? { minuteMs } : {}),
    compute: computeServices.compute.runtime,
  });
  const context: OperationContext = {
    store,
    accountId: ACCOUNT_ID,
    region: REGION,
    endpoint,
    now,
    engine,
    instancesDir,
  };
  routes.push({
    service: tableService(
      {
        targetPrefix: 'CodeDeploy_20141006.',
        signingName: 'codedeploy',
        timestampInputs: CODEDEPLOY_TIMESTAMP_INPUTS,
        checkInput: checkCodeDeployInput,
      },
      codeDeployOperations(),
      context,
    ),
  });
  const pipelines = startLocalCodePipeline({
    store,
    endpoint,
    accountId: ACCOUNT_ID,
    region: REGION,
    now,
    log,
    ...(options.pipelines ? { timings: options.pipelines } : {}),
  });
  routes.push({ service: pipelines.service });
  routes.push({ service: computeServices.ecs, faultPrefix: 'ECS:' });

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    stateDir,
    instancesDir,
    store,
    engine,
    compute: computeServices.compute,
    setAlarm: (name, state) => computeServices.compute.setAlarm(name, state),
    setFaults: (rules) => faults.set(rules),
    close: () => {
      closing ??= (async () => {
        await pipelines.close();
        await engine.close();
        await computeServices.close();
        await agent.close();
        // What hooks and functions left running, daemons that left their process group included.
        await launcher.close();
        // SDK clients keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        s3.close();
        if (temporary) await rm(stateDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** What requests are routed to. */
interface Targets {
  routes: readonly Route[];
  /** Undefined until the port is known (nothing can reach it before). */
  compute: ComputeServices | undefined;
  s3: EmbeddedS3;
  faults: FaultInjector;
  /** Told where each request went, when responses are recorded (CODEDEPLOY_GATE_LOCAL_RECORD). */
  watch?: RequestWatch;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  targets: Targets,
  log: (line: string) => void,
): Promise<void> {
  const { routes, compute, s3, faults, watch } = targets;
  const target = req.headers['x-amz-target'];
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (typeof target === 'string') {
    const matched = routes.find((r) => target.startsWith(r.service.targetPrefix));
    if (matched) {
      const { service } = matched;
      const operation = target.slice(service.targetPrefix.length);
      watch?.label('json', target);
      if (await injectFault(`${matched.faultPrefix ?? ''}${operation}`, req, res, faults, 'json')) return;
      await serveJsonRequest(service, operation, req, res, log);
      return;
    }
  }
  if (path.startsWith(ADMIN_PREFIX)) {
    watch?.label('admin');
    await serveAdmin(req, res, path, { faults, ...(compute ? { compute: compute.compute } : {}) });
    return;
  }
  if (compute && typeof target !== 'string' && isLambdaRequest(req, url)) {
    watch?.label('lambda', lambdaOperationOf(req, url));
    if (await injectFault(`Lambda:${lambdaOperationOf(req, url)}`, req, res, faults, 'lambda')) return;
    await compute.serveLambda(req, res, url);
    return;
  }
  if (typeof target === 'string' || req.headers['content-type']?.startsWith(JSON_11_CONTENT_TYPE)) {
    // A JSON-protocol call for a service this server does not host (or no target at all).
    req.resume();
    const error = new ServiceError('UnknownOperationException', `Unknown operation ${String(target ?? '')}`);
    sendJsonError(res, newRequestId(), error.code, error.message, error.status);
    return;
  }
  watch?.label('s3');
  if (await injectFault(`S3:${req.method ?? 'GET'}`, req, res, faults, 's3')) return;
  s3.handle(req, res);
}

/** `minuteMs` must be a positive number of milliseconds. */
function validMinute(minuteMs: number | undefined): number | undefined {
  if (minuteMs === undefined) return undefined;
  if (typeof minuteMs !== 'number' || !Number.isFinite(minuteMs) || minuteMs <= 0) {
    throw new RangeError(`minuteMs must be a number of milliseconds > 0, got ${String(minuteMs)}`);
  }
  return minuteMs;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}
