import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { LambdaContext } from './context.js';
import { invalidParameter, invalidRequestContent, type LambdaError, validationError } from './errors.js';

/**
 * Lambda's REST-JSON protocol: the operation is the method and path (`GET
 * /2015-03-31/functions/{FunctionName}`), inputs come from path, query string, headers and a JSON
 * body, and errors carry their name in `x-amzn-ErrorType`.
 */
export interface LambdaRequest {
  /** Path parameters, URL-decoded (`FunctionName` may be an ARN: its colons arrive as %3A). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LambdaReply {
  status: number;
  /** A JSON body (most operations). */
  json?: unknown;
  /** A raw body (Invoke's payload). */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export type LambdaHandler = (
  request: LambdaRequest,
  context: LambdaContext,
) => LambdaReply | Promise<LambdaReply>;

export interface LambdaRoute {
  /** The operation's name (fault rules name it `Lambda:<operation>`). */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The model's URI template, e.g. `/2015-03-31/functions/{FunctionName}/aliases/{Name}`. */
  path: string;
  handler: LambdaHandler;
}

/** The route a request takes and its path parameters; undefined when no route matches. */
export function matchRoute(
  routes: readonly LambdaRoute[],
  method: string,
  pathname: string,
): { route: LambdaRoute; params: Record<string, string> } | undefined {
  const segments = trimSlash(pathname).split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{')) {
        if (segment === '') return false;
        params[part.slice(1, -1)] = safeDecode(segment);
        return true;
      }
      return part === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

function trimSlash(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The JSON object body of a request; `{}` when empty; InvalidRequestContentException otherwise. */
export function jsonBody(request: LambdaRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidRequestContent(`Could not parse request body into json: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequestContent('Could not parse request body into json: expected an object');
  }
  return parsed as Record<string, unknown>;
}

/** Lambda list pages: `MaxItems` 1-10000 (default 50) and an opaque `Marker`. */
export function pageOfItems<T>(
  items: readonly T[],
  query: URLSearchParams,
): { items: T[]; NextMarker?: string } {
  const max = query.get('MaxItems');
  const size = max === null ? 50 : Number(max);
  if (!Number.isInteger(size) || size < 1 || size > 10000) {
    throw validationError(max, 'maxItems', 'Member must have value between 1 and 10000');
  }
  const marker = query.get('Marker');
  let start = 0;
  if (marker !== null && marker !== '') {
    start = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) {
      throw invalidParameter(`Invalid marker: ${marker}`);
    }
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { NextMarker: Buffer.from(String(end)).toString('base64') } : {}),
  };
}

export function sendLambdaReply(res: ServerResponse, requestId: string, reply: LambdaReply): void {
  const body =
    reply.raw ?? (reply.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.json)));
  send(res, reply.status, requestId, body, reply.headers ?? {});
}

export function sendLambdaError(res: ServerResponse, requestId: string, error: LambdaError): void {
  send(res, error.status, requestId, Buffer.from(JSON.stringify(error.body())), {
    'x-amzn-ErrorType': error.code,
    ...error.extra.headers,
  });
}

function send(
  res: ServerResponse,
  status: number,
  requestId: string,
  body: Buffer,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  res.end(body);
}
