import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeAtEnd } from './cleanup/index.js';

/**
 * A narrow stand-in for CodeDeploy until the local CodeDeploy exists: a node:http server speaking the
 * service's JSON 1.1 wire protocol (POST /, `X-Amz-Target: CodeDeploy_20141006.<Operation>`), so tests
 * drive the real CodeDeployClient over HTTP. It knows a set of applications and answers
 * RegisterApplicationRevision and GetApplication; every other operation gets `UnknownOperationException`
 * unless `reply` handles it.
 */
export interface CodeDeployStub {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_CODEDEPLOY`. */
  endpoint: string;
  /** Environment for a CodeDeploy client or a child process: endpoint, fake keys, region. */
  env: Record<string, string>;
  /** Every request received, oldest first. */
  requests: RecordedCodeDeployRequest[];
  /** Application names that exist; add or remove freely. */
  applications: Set<string>;
  close(): Promise<void>;
}

export interface RecordedCodeDeployRequest {
  /** `RegisterApplicationRevision`, ... (the part of X-Amz-Target after the dot). */
  operation: string;
  body: Record<string, unknown>;
  /** Lower-case names; `authorization` is left out. */
  headers: Record<string, string>;
}

export type StubReply =
  | { status?: 200; body: unknown }
  | { status: 400 | 500 | 503; error: string; message: string };

export interface CodeDeployStubOptions {
  applications?: string[];
  /** Answers an operation itself; return `undefined` to fall back to the built-in behaviour. */
  reply?: (request: RecordedCodeDeployRequest) => StubReply | undefined;
}

const TARGET_PREFIX = 'CodeDeploy_20141006.';
const JSON_11 = 'application/x-amz-json-1.1';

export async function startCodeDeployStub(options: CodeDeployStubOptions = {}): Promise<CodeDeployStub> {
  const applications = new Set(options.applications ?? []);
  const requests: RecordedCodeDeployRequest[] = [];

  const answer = (request: RecordedCodeDeployRequest): StubReply => {
    const custom = options.reply?.(request);
    if (custom !== undefined) return custom;
    switch (request.operation) {
      case 'RegisterApplicationRevision':
      case 'GetApplication': {
        const name = request.body.applicationName;
        if (typeof name !== 'string' || name === '') {
          return {
            status: 400,
            error: 'ApplicationNameRequiredException',
            message: 'The minimum number of required application names was not specified.',
          };
        }
        if (!applications.has(name)) {
          return {
            status: 400,
            error: 'ApplicationDoesNotExistException',
            message: `The application ${name} does not exist with the user or AWS account.`,
          };
        }
        if (request.operation === 'RegisterApplicationRevision') return { body: {} };
        return {
          body: {
            application: {
              applicationId: `app-${[...applications].indexOf(name)}`,
              applicationName: name,
              computePlatform: 'Server',
              linkedToGitHub: false,
              createTime: 1_700_000_000,
            },
          },
        };
      }
      default:
        return {
          status: 400,
          error: 'UnknownOperationException',
          message: `The stub does not implement ${request.operation}`,
        };
    }
  };

  const server = createServer((req, res) => {
    readBody(req).then(
      (raw) => {
        const target = req.headers['x-amz-target'];
        if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
          send(res, {
            status: 400,
            error: 'UnknownOperationException',
            message: 'Expected POST / with X-Amz-Target',
          });
          return;
        }
        let body: Record<string, unknown>;
        try {
          body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
        } catch {
          send(res, { status: 400, error: 'SerializationException', message: 'Body is not JSON' });
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (name !== 'authorization' && value !== undefined) headers[name] = String(value);
        }
        const request = { operation: target.slice(TARGET_PREFIX.length), body, headers };
        requests.push(request);
        send(res, answer(request));
      },
      (error: unknown) => send(res, { status: 500, error: 'InternalFailure', message: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const stub: CodeDeployStub = {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_CODEDEPLOY: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    },
    requests,
    applications,
    close: () => {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
  return closeAtEnd(stub);
}

let requestCounter = 0;

function send(res: ServerResponse, reply: StubReply): void {
  const payload = 'error' in reply ? { __type: reply.error, message: reply.message } : (reply.body ?? {});
  const text = JSON.stringify(payload);
  requestCounter += 1;
  res
    .writeHead('error' in reply ? reply.status : 200, {
      'content-type': JSON_11,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': `stub-${requestCounter}`,
    })
    .end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
