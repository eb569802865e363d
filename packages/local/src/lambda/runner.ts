import type { ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { bashCommand } from '@codedeploy-gate/core';
import { killProcessGroup, type UserCodeLauncher } from '../processes/index.js';
import type { LocalFunctionRunner } from '../state/index.js';

/** What a function's runner did with one event. */
export type RunOutcome =
  | { kind: 'returned'; payload: string; log: string }
  | { kind: 'failed'; error: FunctionErrorPayload; log: string }
  | { kind: 'timedOut'; log: string }
  | { kind: 'aborted'; log: string };

/** The payload of a failed invocation (`X-Amz-Function-Error: Unhandled`), as Lambda's runtimes write it. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

/** What a handler gets as its context (the parts of Lambda's context object a local run can give). */
export interface InvocationInfo {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  memoryLimitInMB: number;
}

export interface RunRequest {
  runner: LocalFunctionRunner;
  /** The event, JSON. */
  event: string;
  /** Starts the runner with the allowlisted environment and tracks it for the server's close. */
  launcher: UserCodeLauncher;
  /** The function's own variables (its configuration's `Environment.Variables`). */
  variables: Record<string, string>;
  /** What Lambda and the local server set over them (AWS_LAMBDA_*, AWS_ENDPOINT_URL...). */
  serviceVariables: Record<string, string>;
  timeoutMs: number;
  info: InvocationInfo;
  signal?: AbortSignal;
}

/** Lambda's log tail (`LogType: Tail`) is the last 4 KB of the invocation's output. */
export const LOG_TAIL_BYTES = 4096;
/** Lambda's synchronous response payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Between SIGTERM and SIGKILL to the function's process group. */
const KILL_GRACE_MS = 1000;
/**
 * Once the function exited and its group is killed, how long its output may take to close. Only a
 * process that left the group (`setsid daemon &`) still holds it then; it must not hold the
 * invocation (and the server's close) until it ends.
 */
const DRAIN_MS = 500;

/**
 * Imports the handler's module and awaits `handler(event, context)`, writing `{result}` or `{error}` as
 * JSON on fd 3 (stdout and stderr stay the function's log), then exits: like a Lambda environment
 * frozen after the invocation, open handles (SDK keep-alive sockets) do not keep it running.
 */
const MODULE_RUNNER = `
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [modulePath, handlerName, infoJson] = process.argv.slice(1);
const report = (value) => {
  writeSync(3, JSON.stringify(value));
  process.exit(0);
};
const failure = (error, fallbackType) => ({
  error: {
    errorType: (error && error.name) || fallbackType,
    errorMessage: (error && error.message) || String(error),
    stackTrace: String((error && error.stack) || '').split('\\n').slice(1).map((line) => line.trim()),
  },
});
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const info = JSON.parse(infoJson);
const deadline = Date.now() + info.timeoutMs;
const context = {
  functionName: info.functionName,
  functionVersion: info.functionVersion,
  invokedFunctionArn: info.invokedFunctionArn,
  awsRequestId: info.awsRequestId,
  memoryLimitInMB: String(info.memoryLimitInMB),
  logGroupName: '/aws/lambda/' + info.functionName,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
let handler;
try {
  const loaded = await import(pathToFileURL(modulePath).href);
  handler = loaded[handlerName] ?? loaded.default?.[handlerName];
} catch (error) {
  report(failure(error, 'Runtime.ImportModuleError'));
}
if (typeof handler !== 'function') {
  report({ error: { errorType: 'Runtime.HandlerNotFound', errorMessage: modulePath + '.' + handlerName + ' is undefined or not exported' } });
}
try {
  const text = Buffer.concat(chunks).toString('utf8');
  const result = await handler(text === '' ? {} : JSON.parse(text), context);
  report({ result: result === undefined ? null : result });
} catch (error) {
  report(failure(error, 'Error'));
}
`;

/**
 * Runs a local function once, in a child process of its own process group (never on the server's
 * event loop): `{command}` under `bash --noprofile --norc -c` (stdin is a socket, which would make
 * bash read `~/.bashrc`) with the event on stdin and its stdout as the response, or
 * `{module, handler}` in a child `node`. The group is killed on timeout, on abort, and once the
 * function returns (what it left running ends with the invocation, as a Lambda environment freezes);
 * output a process outside the group keeps open is let go {@link DRAIN_MS} later.
 */
export function runLocalFunction(request: RunRequest): Promise<RunOutcome> {
  const { runner } = request;
  const variables = { own: request.variables, service: request.serviceVariables };
  const child =
    'command' in runner
      ? request.launcher.start({
          ...bashCommand(runner.command),
          cwd: runner.cwd,
          ...variables,
          stdio: ['pipe', 'pipe', 'pipe'],
        })
      : request.launcher.start({
          file: process.execPath,
          args: [
            '--input-type=module',
            '-e',
            MODULE_RUNNER,
            resolve(runner.module),
            runner.handler ?? 'handler',
            JSON.stringify({ ...request.info, timeoutMs: request.timeoutMs }),
          ],
          cwd: dirname(resolve(runner.module)),
          ...variables,
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        });
  return watch(child, request, 'command' in runner ? 'stdout' : 'fd3');
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function watch(child: ChildProcess, request: RunRequest, resultFrom: 'stdout' | 'fd3'): Promise<RunOutcome> {
  const tail = new OutputTail(LOG_TAIL_BYTES);
  const stdout = new Collector(MAX_PAYLOAD_BYTES);
  const result = new Collector(MAX_PAYLOAD_BYTES);
  return new Promise((done) => {
    let ending: 'timedOut' | 'aborted' | undefined;
    let spawnError: Error | undefined;
    let exit: Exit | undefined;
    let settled = false;
    let killing: Promise<void> | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const kill = (): Promise<void> => {
      killing ??= child.pid === undefined ? Promise.resolve() : killProcessGroup(child.pid, KILL_GRACE_MS);
      return killing;
    };
    const stop = (why: 'timedOut' | 'aborted') => {
      // Once the function exited, its outcome is known; only its output is still closing.
      if (exit) return;
      ending ??= why;
      void kill();
    };
    const timer = setTimeout(() => stop('timedOut'), request.timeoutMs);
    const onAbort = () => stop('aborted');
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      request.signal?.removeEventListener('abort', onAbort);
      const log = tail.text();
      if (ending) done({ kind: ending, log });
      else if (spawnError) {
        done({
          kind: 'failed',
          error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: spawnError.message },
          log,
        });
      } else if (resultFrom === 'fd3') done(moduleOutcome(result, exit, request.info.awsRequestId, log));
      else done(commandOutcome(stdout, exit, request.info.awsRequestId, log));
    };
    /** Closes our ends of the pipes a process outside the group still holds, and settles with what came. */
    const letGo = () => {
      tail.push(
        Buffer.from(
          '\n[local Lambda] a process the function started outside its process group keeps its output open; the invocation ended without it\n',
        ),
      );
      for (const stream of child.stdio) stream?.destroy();
      settle();
    };
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdin?.on('error', () => {});
    child.stdin?.end(request.event);
    collect(child.stdout, (chunk) => {
      tail.push(chunk);
      if (resultFrom === 'stdout') stdout.push(chunk);
    });
    collect(child.stderr, (chunk) => tail.push(chunk));
    collect(child.stdio[3] as Readable | undefined, (chunk) => result.push(chunk));
    child.once('error', (error) => {
      spawnError = error;
      // A process that never started emits no 'close' of its own.
      if (child.pid === undefined) settle();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // The function is done: whatever it started in the background goes with it, and its pipes close.
      void kill().then(() => {
        if (!settled) drainTimer = setTimeout(letGo, DRAIN_MS);
      });
    });
    child.once('close', settle);
  });
}

/** A command's outcome: its stdout is the response when it exits 0. */
function commandOutcome(
  stdout: Collector,
  exit: Exit | undefined,
  requestId: string,
  log: string,
): RunOutcome {
  if (exit?.code !== 0) return { kind: 'failed', error: exitError(exit, requestId), log };
  if (stdout.overflowed) return payloadTooLarge(log);
  return { kind: 'returned', payload: asJson(stdout.text()), log };
}

/** A module's outcome: what the runner script reported on fd 3, or how the process ended without reporting. */
function moduleOutcome(
  result: Collector,
  exit: Exit | undefined,
  requestId: string,
  log: string,
): RunOutcome {
  if (result.overflowed) return payloadTooLarge(log);
  let reported: { result?: unknown; error?: FunctionErrorPayload } | undefined;
  try {
    reported = JSON.parse(result.text());
  } catch {
    // Nothing (or half a report) came back: the process ended before the handler settled.
  }
  if (!reported) return { kind: 'failed', error: exitError(exit, requestId), log };
  if (reported.error) return { kind: 'failed', error: reported.error, log };
  return { kind: 'returned', payload: JSON.stringify(reported.result ?? null), log };
}

function exitError(exit: Exit | undefined, requestId: string): FunctionErrorPayload {
  const status = exit?.signal ? `signal: ${exit.signal}` : `exit status ${exit?.code ?? 'unknown'}`;
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${status}`,
  };
}

function payloadTooLarge(log: string): RunOutcome {
  return {
    kind: 'failed',
    error: {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
    },
    log,
  };
}

/** A command's stdout as the response: JSON as is, anything else as a JSON string, nothing as null. */
function asJson(stdout: string): string {
  const text = stdout.trim();
  if (text === '') return 'null';
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

function collect(stream: Readable | null | undefined, onChunk: (chunk: Buffer) => void): void {
  stream?.on('data', onChunk);
  stream?.on('error', () => {});
}

/** The last `limit` bytes of a stream of chunks. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    // Cut at a character boundary: drop UTF-8 continuation bytes left at the start of the cut.
    let start = Math.max(0, all.length - this.limit);
    while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start += 1;
    return all.subarray(start).toString('utf8');
  }
}

/** Everything a stream wrote, up to a limit. */
class Collector {
  private chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) this.overflowed = true;
    else this.chunks.push(chunk);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
