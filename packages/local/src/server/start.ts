import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EmbeddedS3, sendS3Error, startEmbeddedS3 } from '@codedeploy-gate/s3-emulator';
import { createLocalAgent } from '../agent/index.js';
import { type JobTimings, startLocalCodePipeline } from '../codepipeline/index.js';
import { createDeploymentEngine } from '../engine/index.js';
import { FaultInjector, type FaultRule } from '../faults/index.js';
import { Store } from '../state/index.js';
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
  setFaults(rules: FaultRule[]): void;
  /** Stops deployments and pipeline timers, closes connections, removes the state dir if it was a temporary one. */
  close(): Promise<void>;
}

const ACCOUNT_ID = '111122223333';
const REGION = 'us-east-1';

/** A JSON service mounted on the port, found by its X-Amz-Target prefix. */
interface Route {
  service: JsonService;
}

/**
 * Starts the local CodeDeploy: CodeDeploy and CodePipeline (AWS JSON 1.1) and S3 (path style) on one
 * HTTP port, the admin endpoint under `/__local/`, the deployment engine driving the local agent, and
 * the pipeline engine handing custom actions' jobs to job workers.
 */
export async function startLocalCodeDeploy(options: LocalCodeDeployOptions = {}): Promise<LocalCodeDeploy> {
  const log = options.log ?? (() => {});
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

  const server = createServer((req, res) => {
    route(req, res, routes, s3, faults, log).catch((error: unknown) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent)
        sendJsonError(res, newRequestId(), 'InternalFailure', 'An internal error occurred.', 500);
    });
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
  const agent = createLocalAgent({
    endpoint,
    ...(options.githubDir ? { githubDir: options.githubDir } : {}),
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

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    stateDir,
    instancesDir,
    store,
    engine,
    setFaults: (rules) => faults.set(rules),
    close: () => {
      closing ??= (async () => {
        await pipelines.close();
        await engine.close();
        await agent.close();
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

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly Route[],
  s3: EmbeddedS3,
  faults: FaultInjector,
  log: (line: string) => void,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (typeof target === 'string') {
    const service = routes.find((r) => target.startsWith(r.service.targetPrefix))?.service;
    if (service) {
      const operation = target.slice(service.targetPrefix.length);
      if (await injectFault(operation, req, res, faults, 'json')) return;
      await serveJsonRequest(service, operation, req, res, log);
      return;
    }
  }
  if (path.startsWith(ADMIN_PREFIX)) {
    await serveAdmin(req, res, path, faults);
    return;
  }
  if (typeof target === 'string' || req.headers['content-type']?.startsWith(JSON_11_CONTENT_TYPE)) {
    // A JSON-protocol call for a service this server does not host (or no target at all).
    req.resume();
    const error = new ServiceError('UnknownOperationException', `Unknown operation ${String(target ?? '')}`);
    sendJsonError(res, newRequestId(), error.code, error.message, error.status);
    return;
  }
  if (await injectFault(`S3:${req.method ?? 'GET'}`, req, res, faults, 's3')) return;
  s3.handle(req, res);
}

/** Applies the fault rules to one request; true when the request was answered (or dropped) here. */
async function injectFault(
  operation: string,
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultInjector,
  protocol: 'json' | 's3',
): Promise<boolean> {
  const decision = faults.decide(operation);
  if (decision.latencyMs > 0) await new Promise((done) => setTimeout(done, decision.latencyMs));
  if (decision.kind === 'none') return false;
  if (decision.kind === 'drop') {
    req.socket.destroy();
    return true;
  }
  if (decision.kind === 'lose') {
    loseResponse(res);
    return false;
  }
  // Read the body first: answering mid-upload makes the client see a reset instead of the error.
  req.resume();
  await new Promise((done) => req.once('end', done).once('error', done).once('close', done));
  const throttle = decision.kind === 'throttle';
  if (protocol === 's3') {
    if (throttle) sendS3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
    else sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
  } else if (throttle) {
    sendJsonError(res, newRequestId(), 'ThrottlingException', 'Rate exceeded', 400);
  } else {
    sendJsonError(res, newRequestId(), 'InternalFailure', 'An internal error occurred.', 500);
  }
  return true;
}

/** Lets the request be served, then hangs up instead of answering: the effect happens, unheard. */
function loseResponse(res: ServerResponse): void {
  res.writeHead = (() => res) as typeof res.writeHead;
  res.setHeader = (() => res) as typeof res.setHeader;
  res.write = (() => true) as typeof res.write;
  res.end = (() => {
    res.socket?.destroy();
    return res;
  }) as typeof res.end;
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
