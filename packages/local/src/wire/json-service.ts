import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeInput,
  encodeError,
  encodeOutput,
  JSON_11_CONTENT_TYPE,
  type TimestampPaths,
} from './json-protocol.js';
import type { OperationTable } from './operation.js';
import { RequestBodyTooLargeError, readBoundedBody, requestBodyLimit } from './request-body.js';
import { ServiceError } from './service-error.js';
import { verifySignatureShape } from './signature.js';

/** One AWS JSON 1.1 service on the shared port (CodeDeploy, CodePipeline). */
export interface JsonService {
  /** `X-Amz-Target` prefix including the dot, e.g. `CodeDeploy_20141006.` */
  targetPrefix: string;
  /** The SigV4 signing name the credential scope must carry; also names its body limit. */
  signingName: 'codedeploy' | 'codepipeline' | 'ecs';
  timestampInputs: TimestampPaths;
  /**
   * Checks an input against the service model's constraints before its handler runs, throwing the
   * service's exception (see wire/constraints); services without a table leave it out.
   */
  checkInput?: (operationName: string, input: unknown) => void;
  /** The handler for an operation name, or undefined when the service has no such operation. */
  operation(name: string): ((input: unknown) => unknown) | undefined;
}

/** A JSON service answering from a table of handlers, each called with the service's context. */
export function tableService<Context>(
  service: Omit<JsonService, 'operation'>,
  operations: OperationTable<Context>,
  context: Context,
): JsonService {
  return {
    ...service,
    operation: (name) => {
      const handler = Object.hasOwn(operations, name) ? operations[name] : undefined;
      return handler && ((input: unknown) => handler(input, context));
    },
  };
}

/** Every answer carries a fresh request id, as AWS answers do. */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * Serves one request to a JSON service: signature shape, operation lookup, the body (bounded: 413
 * RequestEntityTooLargeException past the service's limit), decoding, the handler,
 * then the output or the error in the JSON 1.1 shape. Unexpected failures answer 500 InternalFailure
 * (which SDKs retry) and are logged with their stack.
 */
export async function serveJsonRequest(
  service: JsonService,
  operationName: string,
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const requestId = newRequestId();
  try {
    verifySignatureShape(req.headers, service.signingName);
    const handler = service.operation(operationName);
    if (!handler) {
      throw new ServiceError('UnknownOperationException', `Unknown operation ${operationName}`);
    }
    const limit = requestBodyLimit(service.signingName, operationName);
    const body = (await readBoundedBody(req, res, limit, operationName)).toString('utf8');
    const timestamps = Object.hasOwn(service.timestampInputs, operationName)
      ? service.timestampInputs[operationName]
      : undefined;
    const input = decodeInput(body, timestamps);
    service.checkInput?.(operationName, input);
    const output = await handler(input);
    sendJson(res, 200, requestId, encodeOutput(output));
  } catch (error) {
    if (error instanceof ServiceError) {
      sendJsonError(res, requestId, error.code, error.message, error.status);
      return;
    }
    if (error instanceof RequestBodyTooLargeError) {
      sendJsonError(res, requestId, 'RequestEntityTooLargeException', error.message, 413);
      return;
    }
    log(
      `${operationName}: internal failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendJsonError(res, requestId, 'InternalFailure', 'An internal error occurred.', 500);
  }
}

export function sendJsonError(
  res: ServerResponse,
  requestId: string,
  code: string,
  message: string,
  status = 400,
): void {
  sendJson(res, status, requestId, encodeError(code, message));
}

function sendJson(res: ServerResponse, status: number, requestId: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': JSON_11_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}
