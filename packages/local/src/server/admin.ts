import type { IncomingMessage, ServerResponse } from 'node:http';
import { alarmStateAt, type ComputeSeed, ComputeSeedError, type LocalCompute } from '../compute/index.js';
import type { FaultInjector } from '../faults/index.js';
import { FaultSpecError } from '../faults/index.js';
import { readBody } from '../wire/json-service.js';

/** Where the admin endpoint lives; nothing under it reaches S3 (bucket names cannot start with `_`). */
export const ADMIN_PREFIX = '/__local/';

/** What the admin endpoint acts on. */
export interface AdminTargets {
  faults: FaultInjector;
  compute?: LocalCompute;
}

const ENDPOINTS = ['health', 'faults', 'alarms', 'alarms/NAME', 'compute'].map(
  (name) => `${ADMIN_PREFIX}${name}`,
);

/**
 * - `GET /__local/health` answers `{"status":"ok"}`.
 * - `GET /__local/faults` the fault rules; `PUT` replaces them with a JSON array (`[]` turns faults off).
 * - `GET /__local/alarms` every alarm's state; `GET /__local/alarms/NAME` one (`INSUFFICIENT_DATA` when
 *   never set); `PUT /__local/alarms/NAME` with `{"state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}` sets it.
 * - `PUT /__local/compute` with a ComputeSeed adds functions, task definitions, services and alarms;
 *   answers what it made (ARNs, version numbers), or 400 naming the part that is wrong (nothing applied).
 */
export async function serveAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  targets: AdminTargets,
): Promise<void> {
  const resource = path.slice(ADMIN_PREFIX.length);
  if (resource === 'health' && req.method === 'GET') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (resource === 'faults') {
    await serveFaults(req, res, path, targets.faults);
    return;
  }
  if (targets.compute && (resource === 'alarms' || resource.startsWith('alarms/'))) {
    await serveAlarms(req, res, path, decodeURIComponent(resource.slice('alarms/'.length)), targets.compute);
    return;
  }
  if (targets.compute && resource === 'compute') {
    if (req.method !== 'PUT') {
      sendJson(res, 405, { error: `${req.method} is not allowed on ${path}; use PUT with a compute seed` });
      return;
    }
    const compute = targets.compute;
    await withJsonBody(req, res, (body) => sendJson(res, 200, compute.seed(body as ComputeSeed)));
    return;
  }
  sendJson(res, 404, { error: `no admin endpoint ${path}; try ${ENDPOINTS.join(', ')}` });
}

async function serveFaults(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  faults: FaultInjector,
): Promise<void> {
  if (req.method === 'GET') {
    sendJson(res, 200, faults.current);
    return;
  }
  if (req.method === 'PUT') {
    const body = await readBody(req);
    try {
      const rules: unknown = JSON.parse(body === '' ? '[]' : body);
      if (!Array.isArray(rules)) throw new FaultSpecError('the body must be a JSON array of fault rules');
      faults.set(rules);
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    sendJson(res, 200, faults.current);
    return;
  }
  sendJson(res, 405, { error: `${req.method} is not allowed on ${path}; use GET or PUT` });
}

async function serveAlarms(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  name: string,
  compute: LocalCompute,
): Promise<void> {
  if (path.endsWith('/alarms') || path.endsWith('/alarms/')) {
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: `${req.method} is not allowed on ${path}; use GET (or PUT ${path}/NAME)` });
      return;
    }
    sendJson(res, 200, compute.alarms());
    return;
  }
  if (req.method === 'GET') {
    sendJson(res, 200, { name, state: compute.runtime.alarmState(name) });
    return;
  }
  if (req.method === 'PUT') {
    await withJsonBody(req, res, (body) => {
      const state = alarmStateAt((body as { state?: unknown } | null)?.state, 'the body\'s "state"');
      compute.setAlarm(name, state);
      sendJson(res, 200, { name, state });
    });
    return;
  }
  sendJson(res, 405, { error: `${req.method} is not allowed on ${path}; use GET or PUT` });
}

/** Parses a JSON body and runs `use` on it; a bad body or a ComputeSeedError answers 400 with why. */
async function withJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  use: (body: unknown) => void,
): Promise<void> {
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    sendJson(res, 400, { error: `the body must be JSON: ${(error as Error).message}` });
    return;
  }
  try {
    use(body);
  } catch (error) {
    if (!(error instanceof ComputeSeedError)) throw error;
    sendJson(res, 400, { error: error.message });
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    .end(body);
}
