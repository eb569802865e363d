import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaServiceException,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function';

/** A valid (empty) zip archive whose comment makes its bytes, and so its CodeSha256, unique. */
function zipWithComment(comment: string): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([end, Buffer.from(comment)]);
}

function text(payload: Uint8Array | undefined): string {
  return Buffer.from(payload ?? []).toString('utf8');
}

let h: Harness;
let modules: string;
beforeAll(async () => {
  modules = mkdtempSync(join(tmpdir(), 'local-lambda-modules-'));
  h = await startHarness({}, { maxAttempts: 1 });
});
beforeEach(() => h.server.setFaults([]));
afterAll(async () => {
  await h.close();
  rmSync(modules, { recursive: true, force: true });
});

describe('publishing code and shifting an alias', () => {
  it('takes new code, passes the updated waiter, publishes it once and routes the alias by weight', async () => {
    h.server.compute.putFunction({
      name: 'orders',
      runner: { command: 'cat' },
      versions: [{}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const zip = zipWithComment('orders v2');
    const updated = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'orders', ZipFile: zip }),
    );
    expect(updated).toMatchObject({
      FunctionName: 'orders',
      FunctionArn: `${ARN}:orders`,
      Version: '$LATEST',
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      CodeSize: zip.length,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    });
    const hex = createHash('sha256').update(zip).digest('hex');
    expect(readFileSync(join(h.server.stateDir, 'lambda', 'orders', `${hex}.zip`))).toEqual(zip);

    const waited = await waitUntilFunctionUpdatedV2(
      { client: h.lambda, maxWaitTime: 5, minDelay: 1 },
      { FunctionName: 'orders' },
    );
    expect(waited.state).toBe('SUCCESS');

    const published = await h.lambda.send(
      new PublishVersionCommand({
        FunctionName: 'orders',
        CodeSha256: updated.CodeSha256,
        Description: 'v2',
      }),
    );
    expect(published).toMatchObject({ Version: '2', FunctionArn: `${ARN}:orders:2`, Description: 'v2' });
    expect(published.$metadata.httpStatusCode).toBe(201);
    // Nothing changed since version 2: Lambda answers with it instead of publishing a copy.
    const again = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'orders' }));
    expect(again.Version).toBe('2');

    const shifted = await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'orders',
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    expect(shifted).toMatchObject({
      AliasArn: `${ARN}:orders:live`,
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
    });
    await expect(
      h.lambda.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' })),
    ).resolves.toMatchObject({
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      RevisionId: shifted.RevisionId,
    });
    expect(h.server.compute.runtime.lambda.alias('orders', 'live')).toEqual({
      version: '1',
      weights: { '2': 0.1 },
    });

    // The end of the shift: all traffic on version 2, the split removed.
    const done = await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: `${ARN}:orders`,
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    expect(done.FunctionVersion).toBe('2');
    expect(done.RoutingConfig).toBeUndefined();

    const versions = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'orders' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    const aliases = await h.lambda.send(
      new ListAliasesCommand({ FunctionName: 'orders', FunctionVersion: '2' }),
    );
    expect(aliases.Aliases?.map((a) => a.Name)).toEqual(['live']);
  });

  it('reads a version through its alias, by name, partial ARN or qualified ARN', async () => {
    h.server.compute.putFunction({
      name: 'reader',
      runner: { command: 'cat' },
      versions: [{}, { description: 'second' }],
      aliases: [{ name: 'prod', version: '2' }],
    });
    const byAlias = await h.lambda.send(
      new GetFunctionCommand({ FunctionName: 'reader', Qualifier: 'prod' }),
    );
    expect(byAlias.Configuration).toMatchObject({
      Version: '2',
      Description: 'second',
      FunctionArn: `${ARN}:reader:prod`,
    });
    const partial = await h.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: '111122223333:function:reader:1' }),
    );
    expect(partial.Version).toBe('1');
    const qualifiedArn = await h.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:reader:prod`, Qualifier: 'prod' }),
    );
    expect(qualifiedArn.Version).toBe('2');
    const mismatch = await rejectionOf(
      h.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:reader:prod`, Qualifier: '1' }),
      ),
    );
    expect(mismatch).toBeInstanceOf(InvalidParameterValueException);
  });

  it('creates a function from a zip, published on request', async () => {
    const zip = zipWithComment('created');
    const created = await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'created',
        Role: 'arn:aws:iam::111122223333:role/lambda',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: zip },
        Publish: true,
      }),
    );
    expect(created).toMatchObject({ Version: '1', FunctionArn: `${ARN}:created:1`, Timeout: 3 });
    const taken = await rejectionOf(
      h.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'created',
          Role: 'arn:aws:iam::111122223333:role/lambda',
          Code: { ZipFile: zip },
        }),
      ),
    );
    expect(taken).toBeInstanceOf(ResourceConflictException);
    expect(taken.$metadata?.httpStatusCode).toBe(409);
  });
});

describe('errors as Lambda answers them', () => {
  it('answers an unknown function or alias with 404 ResourceNotFoundException', async () => {
    const missing = await rejectionOf(h.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toBeInstanceOf(LambdaServiceException);
    expect(missing.message).toBe(`Function not found: ${ARN}:nope`);
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect((missing as ResourceNotFoundException).Type).toBe('User');

    h.server.compute.putFunction({ name: 'lonely', runner: { command: 'cat' } });
    const alias = await rejectionOf(
      h.lambda.send(new GetAliasCommand({ FunctionName: 'lonely', Name: 'live' })),
    );
    expect(alias).toBeInstanceOf(ResourceNotFoundException);
    expect(alias.message).toBe(`Alias not found: ${ARN}:lonely:live`);
    const version = await rejectionOf(
      h.lambda.send(new GetFunctionCommand({ FunctionName: 'lonely', Qualifier: '7' })),
    );
    expect(version.message).toBe(`Function not found: ${ARN}:lonely:7`);
    const otherAccount = await rejectionOf(
      h.lambda.send(
        new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:lonely' }),
      ),
    );
    expect(otherAccount).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a publish or an update made against an outdated CodeSha256 or RevisionId', async () => {
    h.server.compute.putFunction({
      name: 'guarded',
      runner: { command: 'cat' },
      versions: [{}],
      aliases: [{ name: 'live', version: '1' }],
    });
    const current = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'guarded' }));
    const wrongSha = await rejectionOf(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'guarded', CodeSha256: 'AAAA' })),
    );
    expect(wrongSha).toBeInstanceOf(InvalidParameterValueException);
    expect(wrongSha.message).toBe(
      `CodeSHA256 (AAAA) is different from current CodeSHA256 in $LATEST (${current.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    const staleRevision = await rejectionOf(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'guarded', RevisionId: 'stale' })),
    );
    expect(staleRevision).toBeInstanceOf(PreconditionFailedException);
    expect(staleRevision.$metadata?.httpStatusCode).toBe(412);
    const staleCode = await rejectionOf(
      h.lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: 'guarded',
          ZipFile: zipWithComment('x'),
          RevisionId: 'stale',
        }),
      ),
    );
    expect(staleCode).toBeInstanceOf(PreconditionFailedException);
    const staleAlias = await rejectionOf(
      h.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'guarded',
          Name: 'live',
          FunctionVersion: '1',
          RevisionId: 'stale',
        }),
      ),
    );
    expect(staleAlias).toBeInstanceOf(PreconditionFailedException);
    expect(staleAlias.message).toContain('Call the GetAlias API');
    // None of them changed anything.
    const after = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'guarded' }));
    expect(after.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(
      (await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'guarded' }))).CodeSha256,
    ).toBe(current.CodeSha256);
  });

  it('checks alias routes the way Lambda does', async () => {
    h.server.compute.putFunction({ name: 'routed', runner: { command: 'cat' }, versions: [{}, {}] });
    await h.lambda.send(
      new CreateAliasCommand({ FunctionName: 'routed', Name: 'live', FunctionVersion: '1' }),
    );
    const exists = await rejectionOf(
      h.lambda.send(new CreateAliasCommand({ FunctionName: 'routed', Name: 'live', FunctionVersion: '1' })),
    );
    expect(exists).toBeInstanceOf(ResourceConflictException);
    const unknownVersion = await rejectionOf(
      h.lambda.send(new UpdateAliasCommand({ FunctionName: 'routed', Name: 'live', FunctionVersion: '9' })),
    );
    expect(unknownVersion).toBeInstanceOf(ResourceNotFoundException);
    expect(unknownVersion.message).toBe(`Function not found: ${ARN}:routed:9`);
    const toItself = await rejectionOf(
      h.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'routed',
          Name: 'live',
          RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
        }),
      ),
    );
    expect(toItself).toBeInstanceOf(InvalidParameterValueException);
    const tooHeavy = await rejectionOf(
      h.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'routed',
          Name: 'live',
          RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } },
        }),
      ),
    );
    expect(tooHeavy.name).toBe('ValidationException');
    const numericName = await rejectionOf(
      h.lambda.send(new CreateAliasCommand({ FunctionName: 'routed', Name: '42', FunctionVersion: '1' })),
    );
    expect(numericName.name).toBe('ValidationException');
  });

  it('throttles Lambda operations named Lambda:<Operation> in fault rules with 429 TooManyRequestsException', async () => {
    h.server.compute.putFunction({ name: 'throttled', runner: { command: 'cat' }, versions: [{}] });
    h.server.setFaults([{ operation: 'Lambda:PublishVersion', throttle: 1, count: 1 }]);
    const throttled = await rejectionOf(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'throttled' })),
    );
    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect(throttled.$metadata?.httpStatusCode).toBe(429);
    await expect(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'throttled' })),
    ).resolves.toMatchObject({
      Version: '1',
    });
  });

  it('answers an unsigned Lambda request with 403 MissingAuthenticationTokenException', async () => {
    const response = await fetch(`${h.server.endpoint}/2015-03-31/functions/throttled`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('invoking local functions', () => {
  it('runs a command runner with the event on stdin and the local endpoint, never the host credentials', async () => {
    const previous = process.env.AWS_SESSION_TOKEN;
    process.env.AWS_SESSION_TOKEN = 'host-session-token';
    try {
      h.server.compute.putFunction({
        name: 'echo',
        runner: {
          command:
            'event=$(cat); echo "started with $event" >&2; ' +
            'printf \'{"event":%s,"endpoint":"%s","region":"%s","key":"%s","token":"%s","version":"%s"}\' ' +
            '"$event" "$AWS_ENDPOINT_URL" "$AWS_REGION" "$AWS_ACCESS_KEY_ID" "$(printenv AWS_SESSION_TOKEN || echo none)" "$AWS_LAMBDA_FUNCTION_VERSION"',
        },
        versions: [{}],
        aliases: [{ name: 'live', version: '1' }],
      });
      const invoked = await h.lambda.send(
        new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live', Payload: '{"n":1}', LogType: 'Tail' }),
      );
      expect(invoked.StatusCode).toBe(200);
      expect(invoked.FunctionError).toBeUndefined();
      expect(invoked.ExecutedVersion).toBe('1');
      expect(JSON.parse(text(invoked.Payload))).toEqual({
        event: { n: 1 },
        endpoint: h.server.endpoint,
        region: 'us-east-1',
        key: 'local',
        token: 'none',
        version: '1',
      });
      expect(Buffer.from(invoked.LogResult ?? '', 'base64').toString()).toContain('started with {"n":1}');
    } finally {
      if (previous === undefined) delete process.env.AWS_SESSION_TOKEN;
      else process.env.AWS_SESSION_TOKEN = previous;
    }
  });

  it('gives a function none of the host secrets: an allowlist of host variables, then its own environment', async () => {
    const secrets = {
      GITHUB_TOKEN: 'ghs_host-github-token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'host-oidc-request-token',
      ACTIONS_RUNTIME_TOKEN: 'host-runtime-token',
      NPM_TOKEN: 'host-npm-token',
    };
    const previous = Object.fromEntries(Object.keys(secrets).map((key) => [key, process.env[key]]));
    Object.assign(process.env, secrets);
    try {
      h.server.compute.putFunction({
        name: 'env-dump',
        // Everything the function sees goes to its log, as a careless hook's `env` would.
        runner: { command: 'env >&2; printf \'{"own":"%s"}\' "$OWN_SETTING"' },
        environment: { OWN_SETTING: 'from-the-function' },
      });
      const invoked = await h.lambda.send(
        new InvokeCommand({ FunctionName: 'env-dump', Payload: '{}', LogType: 'Tail' }),
      );
      expect(invoked.FunctionError).toBeUndefined();
      expect(JSON.parse(text(invoked.Payload))).toEqual({ own: 'from-the-function' });
      const log = Buffer.from(invoked.LogResult ?? '', 'base64').toString();
      expect(log).toMatch(/^PATH=/m);
      expect(log).toContain('OWN_SETTING=from-the-function');
      expect(log).toContain(`AWS_ENDPOINT_URL=${h.server.endpoint}`);
      for (const [name, value] of Object.entries(secrets)) {
        expect(log).not.toContain(name);
        expect(log).not.toContain(value);
      }
    } finally {
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('reports a failing command as an Unhandled function error', async () => {
    h.server.compute.putFunction({
      name: 'failing',
      runner: { command: 'echo "cannot connect" >&2; exit 3' },
    });
    const invoked = await h.lambda.send(new InvokeCommand({ FunctionName: 'failing', LogType: 'Tail' }));
    expect(invoked.StatusCode).toBe(200);
    expect(invoked.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(invoked.Payload))).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining('Runtime exited with error: exit status 3'),
    });
    expect(Buffer.from(invoked.LogResult ?? '', 'base64').toString()).toBe('cannot connect\n');
  });

  it("awaits a module runner's exported handler and reports what it throws", async () => {
    const module = join(modules, 'handler.mjs');
    writeFileSync(
      module,
      [
        'export async function handler(event, context) {',
        "  console.log('doubling', event.n);",
        '  return { doubled: event.n * 2, functionName: context.functionName, requestId: context.awsRequestId };',
        '}',
        "export async function broken() { throw new TypeError('n must be a number'); }",
      ].join('\n'),
    );
    h.server.compute.putFunction({ name: 'doubler', runner: { module, handler: 'handler' } });
    h.server.compute.putFunction({ name: 'broken', runner: { module, handler: 'broken' } });
    const invoked = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'doubler', Payload: JSON.stringify({ n: 21 }), LogType: 'Tail' }),
    );
    expect(invoked.FunctionError).toBeUndefined();
    expect(JSON.parse(text(invoked.Payload))).toMatchObject({ doubled: 42, functionName: 'doubler' });
    expect(Buffer.from(invoked.LogResult ?? '', 'base64').toString()).toBe('doubling 21\n');

    const failed = await h.lambda.send(new InvokeCommand({ FunctionName: 'broken', Payload: '{}' }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(failed.Payload))).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'n must be a number',
    });
  });

  it('runs an Event invocation in the background and answers 202 at once', async () => {
    const marker = join(modules, 'event-ran');
    h.server.compute.putFunction({
      name: 'background',
      runner: { command: `cat > ${JSON.stringify(marker)}` },
    });
    const invoked = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'background', InvocationType: 'Event', Payload: '{"async":true}' }),
    );
    expect(invoked.StatusCode).toBe(202);
    await expect
      .poll(() => existsSync(marker) && readFileSync(marker, 'utf8'), { timeout: 5000 })
      .toBe('{"async":true}');
    const unknown = await rejectionOf(
      h.lambda.send(new InvokeCommand({ FunctionName: 'not-there', InvocationType: 'Event' })),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  });

  it('stops a function at its timeout', async () => {
    h.server.compute.putFunction({ name: 'slow', runner: { command: 'sleep 30' }, timeout: 1 });
    const invoked = await h.lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    expect(invoked.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(invoked.Payload)).errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
  });

  it('ends an invocation whose function left a daemon outside its process group holding its output', async () => {
    const pidFile = join(modules, 'daemon.pid');
    h.server.compute.putFunction({
      name: 'daemonizing',
      // setsid puts the daemon in a session of its own, where killing the function's group does not
      // reach it; the function returns once the daemon wrote its pid, so after it left the group.
      runner: {
        command:
          `setsid bash --noprofile --norc -c 'echo $$ > "$0"; exec sleep 600' ${JSON.stringify(pidFile)} & ` +
          `while [ ! -s ${JSON.stringify(pidFile)} ]; do sleep 0.01; done; ` +
          `echo "daemon $(cat ${JSON.stringify(pidFile)})" >&2; echo '{}'`,
      },
    });
    // No clean-up stops a process outside every group: kill it by its pid file, however the test ends.
    onTestFinished(() => {
      const daemon = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      try {
        if (daemon > 0) process.kill(daemon, 'SIGKILL');
      } catch {
        // Already ended.
      }
    });
    const invoked = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'daemonizing', Payload: '{}', LogType: 'Tail' }),
    );
    const log = Buffer.from(invoked.LogResult ?? '', 'base64').toString();
    const daemon = Number(/daemon (\d+)/.exec(log)?.[1]);
    expect(invoked.FunctionError).toBeUndefined();
    expect(JSON.parse(text(invoked.Payload))).toEqual({});
    expect(log).toContain('keeps its output open');
    // The answer came while the daemon still runs: the invocation did not wait for it.
    expect(() => process.kill(daemon, 0)).not.toThrow();
  });

  it('says how to give a function without a runner one', async () => {
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'no-runner',
        Role: 'arn:aws:iam::111122223333:role/lambda',
        Code: { ZipFile: zipWithComment('no runner') },
      }),
    );
    const invoked = await h.lambda.send(new InvokeCommand({ FunctionName: 'no-runner' }));
    expect(invoked.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(invoked.Payload))).toMatchObject({
      errorType: 'Runtime.NoLocalRunner',
      errorMessage: expect.stringContaining('compute.putFunction or PUT /__local/compute'),
    });
  });
});

describe('sharing the port with S3', () => {
  it('keeps requests for a bucket named like the Lambda API version on S3', async () => {
    await h.s3.send(new CreateBucketCommand({ Bucket: '2015-03-31' }));
    await h.s3.send(
      new PutObjectCommand({ Bucket: '2015-03-31', Key: 'functions/app', Body: 'not a function' }),
    );
    const object = await h.s3.send(new GetObjectCommand({ Bucket: '2015-03-31', Key: 'functions/app' }));
    expect(await object.Body?.transformToString()).toBe('not a function');
  });
});
