import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from '../faults/index.js';
import { FaultSpecError } from '../faults/index.js';
import { readBody } from '../wire/json-service.js';

/** Where the admin endpoint lives; nothing under it reaches S3 (bucket names cannot start with `_`). */
export const ADMIN_PREFIX = '/__local/';

/**
 * `GET /__local/health` answers `{"status":"ok"}`; `GET /__local/faults` the fault rules;
 * `PUT /__local/faults` replaces them with a JSON array of rules (`[]` turns faults off).
 */
export async function serveAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  faults: FaultInjector,
): Promise<void> {
  if (path === `${ADMIN_PREFIX}health` && req.method === 'GET') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (path === `${ADMIN_PREFIX}faults`) {
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
    return;
  }
  sendJson(res, 404, {
    error: `no admin endpoint ${path}; try ${ADMIN_PREFIX}health or ${ADMIN_PREFIX}faults`,
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    .end(body);
}
