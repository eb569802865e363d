import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonErrorPlace } from '@codedeploy-gate/core';
import { alarmStateAt, type ComputeSeed, ComputeSeedError, type LocalCompute } from '../compute/index.js';
import type { FaultInjector } from '../faults/index.js';
import { FaultSpecError } from '../faults/index.js';
import { RequestBodyTooLargeError, readBoundedBody, requestBodyLimit } from '../wire/request-body.js';

/** Where the admin endpoint lives; nothing under it reaches S3 (bucket names cannot start with `_`). */
export const ADMIN_PREFIX = '/__local/';

/** What the admin endpoint acts on. */
export interface AdminTargets {
  faults: FaultInjector;
  /** Undefined only while the server starts (before its port is known). */
  compute?: LocalCompute;
}

type Method = 'GET' | 'PUT';

interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** `/__local/...` as requested. */
  path: string;
  /** The alarm name of `alarms/NAME`. */
  name: string;
  targets: AdminTargets;
}

interface AdminRoute {
  /** As the 404 answer lists it (`alarms/NAME`). */
  path: string;
  /** Whether a resource (the path after `/__local/`) is this route's, and its alarm name if any. */
  match(resource: string): { name: string } | undefined;
  methods: ReadonlyMap<Method, Handler>;
}

/** Answers a request with what is sent back as JSON, or throws AdminError. */
type Handler = (request: AdminRequest) => unknown;

/** A refusal: the status and the message answered as `{"error": message}`. */
class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const exactly =
  (path: string) =>
  (resource: string): { name: string } | undefined =>
    resource === path ? { name: '' } : undefined;

/**
 * The admin endpoint's routes. Each answers JSON; anything it does not understand is refused with what
 * it does take: an unknown route 404 listing the routes, a method a route does not take 405 with
 * `Allow`, a body that is not JSON 400 saying where, an unknown member or bad value 400 naming the
 * members allowed, a body over the limit 413.
 *
 * - `GET /__local/health`: `{"status":"ok"}`.
 * - `GET /__local/faults` the fault rules; `PUT` replaces them with a JSON array (`[]` turns faults off).
 * - `GET /__local/alarms` every alarm's state; `GET /__local/alarms/NAME` one (`INSUFFICIENT_DATA` when
 *   never set); `PUT /__local/alarms/NAME` with `{"state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}` sets it.
 * - `PUT /__local/compute` with a ComputeSeed adds functions, task definitions, services and alarms;
 *   answers what it made (ARNs, version numbers), or 400 naming the part that is wrong (nothing applied).
 */
const ROUTES: readonly AdminRoute[] = [
  {
    path: 'health',
    match: exactly('health'),
    methods: new Map<Method, Handler>([['GET', () => ({ status: 'ok' })]]),
  },
  {
    path: 'faults',
    match: exactly('faults'),
    methods: new Map<Method, Handler>([
      ['GET', ({ targets }) => targets.faults.current],
      ['PUT', putFaults],
    ]),
  },
  {
    path: 'alarms',
    match: exactly('alarms'),
    methods: new Map<Method, Handler>([['GET', ({ targets }) => computeOf(targets).alarms()]]),
  },
  {
    path: 'alarms/NAME',
    match: (resource) => (resource.startsWith('alarms/') ? { name: alarmName(resource) } : undefined),
    methods: new Map<Method, Handler>([
      ['GET', ({ targets, name }) => ({ name, state: computeOf(targets).runtime.alarmState(name) })],
      ['PUT', putAlarm],
    ]),
  },
  {
    path: 'compute',
    match: exactly('compute'),
    methods: new Map<Method, Handler>([['PUT', putCompute]]),
  },
];

const ROUTE_LIST = ROUTES.map(
  (route) => `${[...route.methods.keys()].join(', ')} ${ADMIN_PREFIX}${route.path}`,
);

/** Serves one request under `/__local/`. */
export async function serveAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  targets: AdminTargets,
): Promise<void> {
  try {
    // `/__local/alarms/` is `/__local/alarms`.
    const resource = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
    let matched: { route: AdminRoute; name: string } | undefined;
    for (const route of ROUTES) {
      const match = route.match(resource);
      if (match) {
        matched = { route, name: match.name };
        break;
      }
    }
    if (!matched)
      throw new AdminError(404, `no admin endpoint ${path}; the routes are: ${ROUTE_LIST.join('; ')}`);
    const allowed = [...matched.route.methods.keys()];
    const handler = matched.route.methods.get(req.method as Method);
    if (!handler) {
      throw new AdminError(405, `${req.method} is not allowed on ${path}; use ${allowed.join(' or ')}`, {
        allow: allowed.join(', '),
      });
    }
    if (new URL(req.url ?? '/', 'http://localhost').search !== '') {
      throw new AdminError(400, `${path} takes no query parameters`);
    }
    sendJson(res, 200, await handler({ req, res, path, name: matched.name, targets }));
  } catch (error) {
    if (error instanceof AdminError) sendJson(res, error.status, { error: error.message }, error.headers);
    else if (error instanceof RequestBodyTooLargeError) sendJson(res, 413, { error: error.message });
    else if (error instanceof FaultSpecError || error instanceof ComputeSeedError)
      sendJson(res, 400, { error: error.message });
    else throw error;
  }
}

async function putFaults({ req, res, path, targets }: AdminRequest): Promise<unknown> {
  const rules = await jsonBody(req, res, path);
  if (!Array.isArray(rules)) {
    throw new AdminError(
      400,
      `the body of PUT ${path} must be a JSON array of fault rules ([] turns faults off)`,
    );
  }
  targets.faults.set(rules);
  return targets.faults.current;
}

async function putAlarm({ req, res, path, name, targets }: AdminRequest): Promise<unknown> {
  const compute = computeOf(targets);
  const body = await jsonBody(req, res, path);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdminError(
      400,
      `the body of PUT ${path} must be a JSON object: {"state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}`,
    );
  }
  const unknown = Object.keys(body).filter((member) => member !== 'state');
  if (unknown.length > 0) {
    throw new AdminError(
      400,
      `the body of PUT ${path} has unknown member ${unknown.map((m) => JSON.stringify(m)).join(', ')}; it takes "state" only`,
    );
  }
  const state = alarmStateAt((body as { state?: unknown }).state, 'the body\'s "state"');
  compute.setAlarm(name, state);
  return { name, state };
}

async function putCompute({ req, res, path, targets }: AdminRequest): Promise<unknown> {
  const compute = computeOf(targets);
  return compute.seed((await jsonBody(req, res, path)) as ComputeSeed);
}

function computeOf(targets: AdminTargets): LocalCompute {
  if (!targets.compute) throw new AdminError(503, 'the local Lambda and ECS are still starting; try again');
  return targets.compute;
}

function alarmName(resource: string): string {
  const encoded = resource.slice('alarms/'.length);
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new AdminError(400, `the alarm name "${encoded}" is not valid percent-encoding`);
  }
}

/** The body as JSON; 400 naming where it stops being JSON (without quoting it), 413 past the limit. */
async function jsonBody(req: IncomingMessage, res: ServerResponse, path: string): Promise<unknown> {
  const text = (await readBoundedBody(req, res, requestBodyLimit('admin', path), `PUT ${path}`)).toString(
    'utf8',
  );
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AdminError(400, `the body of PUT ${path} is not JSON${jsonErrorPlace(text, error)}`);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(value);
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    })
    .end(body);
}
