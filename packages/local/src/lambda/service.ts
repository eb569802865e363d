import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestBodyTooLargeError, readBoundedBody, requestBodyLimit } from '../wire/request-body.js';
import { ServiceError } from '../wire/service-error.js';
import { verifySignatureShape } from '../wire/signature.js';
import { aliasRoutes } from './aliases.js';
import type { LambdaContext } from './context.js';
import { LambdaError, serviceException } from './errors.js';
import { functionRoutes } from './functions.js';
import { invokeRoutes } from './invoke.js';
import { type LambdaRoute, matchRoute, sendLambdaError, sendLambdaReply } from './rest-protocol.js';
import { versionRoutes } from './versions.js';

/** Every Lambda operation the local server answers. */
export const LAMBDA_ROUTES: readonly LambdaRoute[] = [
  ...functionRoutes,
  ...versionRoutes,
  ...aliasRoutes,
  ...invokeRoutes,
];

/** The API version prefix every Lambda path this server answers starts with. */
const LAMBDA_PREFIX = '/2015-03-31/functions';

/**
 * Whether a request is for Lambda rather than S3 (both are REST on the same port): signed for the
 * `lambda` service, or unsigned under `/2015-03-31/functions`. A bucket named like a date stays S3's
 * as long as its requests are signed for `s3` (presigned or not).
 */
export function isLambdaRequest(req: IncomingMessage, url: URL): boolean {
  const service = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/.exec(
    req.headers.authorization ?? '',
  )?.[1];
  if (service !== undefined) return service === 'lambda';
  const presigned = url.searchParams.has('X-Amz-Credential') || url.searchParams.has('AWSAccessKeyId');
  return !presigned && (url.pathname === LAMBDA_PREFIX || url.pathname.startsWith(`${LAMBDA_PREFIX}/`));
}

/** The operation a Lambda request asks for (`Unknown` when no route matches), to name it in fault rules. */
export function lambdaOperationOf(req: IncomingMessage, url: URL): string {
  return matchRoute(LAMBDA_ROUTES, req.method ?? 'GET', url.pathname)?.route.operation ?? 'Unknown';
}

/**
 * Serves one Lambda request: signature shape, route, body (bounded: 413 RequestEntityTooLargeException
 * past the operation's limit), the handler, then the reply or the error
 * in Lambda's shape. Unexpected failures answer 500 ServiceException (which SDKs retry), logged.
 */
export async function serveLambdaRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: LambdaContext,
): Promise<void> {
  const requestId = randomUUID();
  try {
    try {
      verifySignatureShape(req.headers, 'lambda');
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const status = error.code === 'IncompleteSignatureException' ? 400 : 403;
      throw new LambdaError(error.code, error.message, status);
    }
    const matched = matchRoute(LAMBDA_ROUTES, req.method ?? 'GET', url.pathname);
    if (!matched) {
      throw new LambdaError(
        'UnknownOperationException',
        `Unknown operation ${req.method} ${url.pathname}`,
        404,
      );
    }
    const { operation } = matched.route;
    const body = await readBoundedBody(req, res, requestBodyLimit('lambda', operation), operation);
    const reply = await matched.route.handler(
      { params: matched.params, query: url.searchParams, headers: req.headers, body },
      context,
    );
    sendLambdaReply(res, requestId, reply);
  } catch (error) {
    if (error instanceof LambdaError) {
      sendLambdaError(res, requestId, error);
      return;
    }
    if (error instanceof RequestBodyTooLargeError) {
      sendLambdaError(res, requestId, new LambdaError('RequestEntityTooLargeException', error.message, 413));
      return;
    }
    context.log(
      `lambda ${req.method} ${url.pathname}: internal failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendLambdaError(res, requestId, serviceException());
  }
}
