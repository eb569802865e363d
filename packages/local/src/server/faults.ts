import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendS3Error } from '@codedeploy-gate/s3-emulator';
import type { FaultInjector } from '../faults/index.js';
import { LambdaError, sendLambdaError, serviceException, tooManyRequests } from '../lambda/index.js';
import { newRequestId, sendJsonError } from '../wire/json-service.js';

/** How a faulted request is answered: each protocol's own throttling and server error shapes. */
export type FaultProtocol = 'json' | 's3' | 'lambda';

/**
 * Applies the fault rules to one request named `operation` (`GetDeployment`, `ECS:DescribeServices`,
 * `Lambda:PublishVersion`, `S3:GET`); true when the request was answered (or dropped) here.
 */
export async function injectFault(
  operation: string,
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultInjector,
  protocol: FaultProtocol,
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
  if (decision.kind === 'accessDenied') {
    answerAccessDenied(operation, res, protocol);
    return true;
  }
  const throttle = decision.kind === 'throttle';
  if (protocol === 's3') {
    if (throttle) sendS3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
    else sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
  } else if (protocol === 'lambda') {
    sendLambdaError(res, newRequestId(), throttle ? tooManyRequests() : serviceException());
  } else if (throttle) {
    sendJsonError(res, newRequestId(), 'ThrottlingException', 'Rate exceeded', 400);
  } else {
    sendJsonError(res, newRequestId(), 'InternalFailure', 'An internal error occurred.', 500);
  }
  return true;
}

/** Each service's answer to a caller without the IAM permission (the wording is AWS's shape, local). */
function answerAccessDenied(operation: string, res: ServerResponse, protocol: FaultProtocol): void {
  const message = `User: arn:aws:iam::111122223333:user/local is not authorized to perform: ${operation} (a fault rule)`;
  if (protocol === 's3') sendS3Error(res, 403, 'AccessDenied', 'Access Denied');
  else if (protocol === 'lambda') {
    sendLambdaError(res, newRequestId(), new LambdaError('AccessDeniedException', message, 403));
  } else sendJsonError(res, newRequestId(), 'AccessDeniedException', message, 400);
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
