import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateApplicationCommand, GetApplicationCommand } from '@aws-sdk/client-codedeploy';
import { ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_BODY_LIMITS } from '../../src/wire/request-body.js';
import { type Harness, rejectionOf, startHarness } from '../e2e/helpers.js';
import { declareOnly, jsonHeaders, sendBody, signedHeaders, streamChunked } from './raw-http.js';

const MiB = 1024 * 1024;
const JSON_LIMIT = REQUEST_BODY_LIMITS.codedeploy.default;
const CODE_LIMIT = 69_905_067;
const INVOKE_LIMIT = 6 * MiB;

const JSON_SERVICES = [
  { service: 'codedeploy', target: 'CodeDeploy_20141006.CreateApplication', operation: 'CreateApplication' },
  { service: 'codepipeline', target: 'CodePipeline_20150709.ListPipelines', operation: 'ListPipelines' },
  {
    service: 'ecs',
    target: 'AmazonEC2ContainerServiceV20141113.DescribeClusters',
    operation: 'DescribeClusters',
  },
] as const;

/** A JSON body of exactly `size` bytes: `{"applicationName":NAME,"padding":"aaa..."}`. */
function paddedJson(applicationName: string, size: number): Buffer {
  const head = `{"applicationName":${JSON.stringify(applicationName)},"padding":"`;
  const tail = '"}';
  return Buffer.from(`${head}${'a'.repeat(size - head.length - tail.length)}${tail}`);
}

describe('request bodies over the limit, in process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { maxAttempts: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(JSON_SERVICES)(
    '$service: a Content-Length over the limit is 413 in the JSON 1.1 shape before any byte is read',
    async ({ service, target, operation }) => {
      const answer = await declareOnly(
        `${h.server.endpoint}/`,
        'POST',
        jsonHeaders(service, target),
        200 * MiB,
      );
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({
        __type: 'RequestEntityTooLargeException',
        message: `Request must be smaller than ${JSON_LIMIT} bytes for the ${operation} operation`,
      });
    },
  );

  it('Lambda: CreateFunction and UpdateFunctionCode past 69905067 bytes and Invoke past 6 MiB are 413 RequestEntityTooLargeException', async () => {
    const cases = [
      ['POST', '/2015-03-31/functions', 'CreateFunction', CODE_LIMIT],
      ['PUT', '/2015-03-31/functions/orders/code', 'UpdateFunctionCode', CODE_LIMIT],
      ['POST', '/2015-03-31/functions/orders/invocations', 'Invoke', INVOKE_LIMIT],
    ] as const;
    for (const [method, path, operation, limit] of cases) {
      const answer = await declareOnly(
        `${h.server.endpoint}${path}`,
        method,
        signedHeaders('lambda'),
        limit + 1,
      );
      expect(answer.status, operation).toBe(413);
      expect(answer.headers['x-amzn-errortype'], operation).toBe('RequestEntityTooLargeException');
      expect(JSON.parse(answer.body), operation).toEqual({
        Type: 'User',
        message: `Request must be smaller than ${limit} bytes for the ${operation} operation`,
      });
    }
  });

  it('the SDK sees RequestEntityTooLargeException (413) for an oversized request, and the server goes on', async () => {
    const error = await rejectionOf(
      h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'x'.repeat(JSON_LIMIT) })),
    );
    expect(error.name).toBe('RequestEntityTooLargeException');
    expect(error.$metadata?.httpStatusCode).toBe(413);
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'after-refusal' }));
    await expect(
      h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'after-refusal' })),
    ).resolves.toMatchObject({ application: { applicationName: 'after-refusal' } });
    await expect(h.codePipeline.send(new ListPipelinesCommand({}))).resolves.toMatchObject({ pipelines: [] });
    await expect(h.ecs.send(new DescribeClustersCommand({ clusters: ['none'] }))).resolves.toMatchObject({
      clusters: [],
    });
  });

  it('a body of exactly the limit is served', async () => {
    const atLimit = paddedJson('exactly-at-limit', JSON_LIMIT);
    expect(atLimit.length).toBe(JSON_LIMIT);
    const target = 'CodeDeploy_20141006.CreateApplication';
    const answer = await sendBody(
      `${h.server.endpoint}/`,
      'POST',
      jsonHeaders('codedeploy', target),
      atLimit,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ applicationId: expect.any(String) });
    const over = await sendBody(
      `${h.server.endpoint}/`,
      'POST',
      jsonHeaders('codedeploy', target),
      paddedJson('one-byte-over', JSON_LIMIT + 1),
    );
    expect(over.status).toBe(413);

    h.server.compute.putFunction({ name: 'sink', runner: { command: 'cat' } });
    const dryRun = await h.lambda.send(
      new InvokeCommand({
        FunctionName: 'sink',
        InvocationType: 'DryRun',
        Payload: Buffer.alloc(INVOKE_LIMIT, 0x20),
      }),
    );
    expect(dryRun.StatusCode).toBe(204);
    const tooBig = await rejectionOf(
      h.lambda.send(
        new InvokeCommand({
          FunctionName: 'sink',
          InvocationType: 'DryRun',
          Payload: Buffer.alloc(INVOKE_LIMIT + 1, 0x20),
        }),
      ),
    );
    expect(tooBig.name).toBe('RequestEntityTooLargeException');
    expect(tooBig.$metadata?.httpStatusCode).toBe(413);
  });
});

describe('a chunked body that grows past the limit, measured in the server process', () => {
  let child: ChildProcess | undefined;
  let endpoint = '';
  const ask = (question: string) =>
    new Promise<{ maxRss: number }>((resolve) => {
      child?.once('message', (answer) => resolve(answer as { maxRss: number }));
      child?.send(question);
    });

  beforeAll(async () => {
    const started = fork(fileURLToPath(new URL('./fixtures/server-process.ts', import.meta.url)), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child = started;
    endpoint = await new Promise<string>((resolve, reject) => {
      started.once('message', (message) => resolve((message as { endpoint: string }).endpoint));
      started.once('exit', (code) => reject(new Error(`the server process exited early (${code})`)));
    });
  });
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('answers 413 once the body passes the limit and never holds the body: peak RSS grows far less than it', async () => {
    const body = 200 * MiB;
    const target = 'CodeDeploy_20141006.CreateApplication';
    // Warm up: the first request loads the SDK-shaped code paths the measured one uses.
    await sendBody(`${endpoint}/`, 'POST', jsonHeaders('codedeploy', target), paddedJson('warm', 1024));
    const before = (await ask('usage')).maxRss;

    const answer = await streamChunked(`${endpoint}/`, 'POST', jsonHeaders('codedeploy', target), body);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).__type).toBe('RequestEntityTooLargeException');
    expect(answer.sent).toBeLessThan(body);

    const lambda = await streamChunked(
      `${endpoint}/2015-03-31/functions/any/invocations`,
      'POST',
      signedHeaders('lambda'),
      body,
    );
    expect(lambda.status).toBe(413);
    expect(lambda.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');

    const after = (await ask('usage')).maxRss;
    // Buffering either body would add at least its 200 MiB; refusing it costs a few MiB at most.
    expect(after - before).toBeLessThan(64 * MiB);
    // And the server still serves.
    const next = await sendBody(
      `${endpoint}/`,
      'POST',
      jsonHeaders('codedeploy', target),
      paddedJson('next', 1024),
    );
    expect(next.status).toBe(200);
  });
});
