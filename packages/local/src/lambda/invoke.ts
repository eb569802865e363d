import type { LambdaContext } from './context.js';
import { invalidRequestContent, serviceException, validationError } from './errors.js';
import { functionRecord, resolveQualifier } from './lookup.js';
import { parseFunctionName, qualifierOf } from './names.js';
import type { LambdaReply, LambdaRequest, LambdaRoute } from './rest-protocol.js';
import type { RunOutcome } from './runner.js';

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;

/**
 * Invoke: RequestResponse waits for the runner and answers its payload (a failure as
 * `X-Amz-Function-Error: Unhandled` with the error as payload, as Lambda does), Event answers 202 at
 * once and runs in the background, DryRun only checks the function is there (204).
 */
async function invoke(request: LambdaRequest, context: LambdaContext): Promise<LambdaReply> {
  const reference = parseFunctionName(request.params.FunctionName, context);
  const qualifier = qualifierOf(reference, request.query.get('Qualifier') ?? undefined);
  const type = headerOf(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!(INVOCATION_TYPES as readonly string[]).includes(type)) {
    throw validationError(
      type,
      'invocationType',
      `Member must satisfy enum value set: [${INVOCATION_TYPES.join(', ')}]`,
    );
  }
  const event = request.body.toString('utf8');
  if (event.trim() !== '') {
    try {
      JSON.parse(event);
    } catch (error) {
      throw invalidRequestContent(`Could not parse request body into json: ${(error as Error).message}`);
    }
  }
  if (type === 'DryRun') {
    resolveQualifier(context, functionRecord(context, reference), qualifier);
    return { status: 204 };
  }
  if (type === 'Event') {
    // The function is resolved now (an unknown one is answered 404); its runner runs in the background.
    context.invoker.invoke(reference, qualifier, event).then(
      (invocation) => {
        if (invocation.outcome.kind !== 'returned') {
          context.log(`lambda ${reference.name}: asynchronous invocation ${describe(invocation.outcome)}`);
        }
      },
      (error: unknown) =>
        context.log(`lambda ${reference.name}: asynchronous invocation failed: ${String(error)}`),
    );
    return { status: 202 };
  }
  const invocation = await context.invoker.invoke(reference, qualifier, event);
  const { outcome } = invocation;
  if (outcome.kind === 'aborted') throw serviceException();
  const headers: Record<string, string> = { 'X-Amz-Executed-Version': invocation.version };
  if (headerOf(request, 'x-amz-log-type') === 'Tail') {
    headers['X-Amz-Log-Result'] = Buffer.from(outcome.log).toString('base64');
  }
  if (outcome.kind === 'returned') return { status: 200, raw: Buffer.from(outcome.payload), headers };
  headers['X-Amz-Function-Error'] = 'Unhandled';
  const error =
    outcome.kind === 'failed'
      ? outcome.error
      : {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${invocation.requestId} Error: Task timed out after ${invocation.timeoutSeconds.toFixed(2)} seconds`,
        };
  return { status: 200, raw: Buffer.from(JSON.stringify(error)), headers };
}

function describe(outcome: RunOutcome): string {
  if (outcome.kind === 'failed') return `failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`;
  return outcome.kind === 'timedOut' ? 'timed out' : outcome.kind;
}

function headerOf(request: LambdaRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const invokeRoutes: LambdaRoute[] = [
  {
    operation: 'Invoke',
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/invocations',
    handler: invoke,
  },
];
