import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComputeSeed, ComputeSeedError, startLocalCodeDeploy } from '../../src/index.js';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

const SEED: ComputeSeed = {
  functions: [
    {
      name: 'checkout',
      runner: { command: 'cat' },
      versions: [{}, { runner: { command: 'exit 1' } }],
      aliases: [{ name: 'live', version: '1' }],
    },
  ],
  ecs: {
    clusters: [
      {
        name: 'shop',
        services: [
          {
            name: 'web',
            taskDefinition: {
              family: 'web',
              networkMode: 'awsvpc',
              containerDefinitions: [{ name: 'web', image: 'web:1', portMappings: [{ containerPort: 80 }] }],
            },
            desiredCount: 2,
            targetGroups: ['web-blue', 'web-green'],
          },
        ],
      },
    ],
  },
  alarms: { 'checkout-errors': 'OK' },
};

let h: Harness;
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'local-compute-'));
  h = await startHarness({ compute: SEED }, { maxAttempts: 1 });
});
afterAll(async () => {
  await h.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${h.server.endpoint}/__local/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe('seeding', () => {
  it('creates the seeded functions, services and alarms at start', async () => {
    const versions = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'checkout' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    // Versions with different runners are different code.
    expect(versions.Versions?.[1]?.CodeSha256).not.toBe(versions.Versions?.[2]?.CodeSha256);
    const service = (await h.ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] })))
      .services?.[0];
    expect(service).toMatchObject({
      desiredCount: 2,
      runningCount: 2,
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [
        {
          targetGroupArn: expect.stringMatching(/:targetgroup\/web-blue\//),
          containerName: 'web',
          containerPort: 80,
        },
      ],
      // An awsvpc task definition needs a network configuration: the seed gets a placeholder one.
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
    });
    expect(h.server.compute.runtime.alarmState('checkout-errors')).toBe('OK');
  });

  it('refuses an invalid seed before starting, naming the field', async () => {
    const error = await rejectionOf(
      startLocalCodeDeploy({ compute: { functions: [{ name: 'x', runner: {} as never }] } }),
    );
    expect(error).toBeInstanceOf(ComputeSeedError);
    expect(error.message).toBe(
      'functions[0].runner needs "command" (a shell command reading the event on stdin) or "module" (a JS file exporting handler(event))',
    );
    const missing = await rejectionOf(
      startLocalCodeDeploy({
        compute: { functions: [{ name: 'x', runner: { module: join(scratch, 'nope.mjs') } }] },
      }),
    );
    expect(missing.message).toMatch(/^functions\[0\]\.runner\.module: no file at .*nope\.mjs/);
    const typo = await rejectionOf(startLocalCodeDeploy({ compute: { functoins: [] } as ComputeSeed }));
    expect(typo.message).toBe(
      'the compute seed has unknown member "functoins" (expected functions, ecs, alarms)',
    );
  });

  it('applies a seed all or nothing', () => {
    const error = (() => {
      try {
        h.server.compute.seed({
          functions: [
            { name: 'first', runner: { command: 'cat' } },
            { name: 'second', runner: { command: 'cat' }, aliases: [{ name: 'live', version: '5' }] },
          ],
        });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected the seed to fail');
    })();
    expect(error).toBeInstanceOf(ComputeSeedError);
    expect(error.message).toBe(
      'functions[1] (second): Function not found: arn:aws:lambda:us-east-1:111122223333:function:second:5',
    );
    expect(h.server.compute.runtime.lambda.functionExists('first')).toBe(false);
    expect(h.server.compute.runtime.lambda.functionExists('second')).toBe(false);
  });

  it('keeps what a state dir holds when the server restarts with the same seed', async () => {
    const stateDir = join(scratch, 'state');
    const first = await startLocalCodeDeploy({ stateDir, compute: SEED });
    first.compute.runtime.lambda.routeAlias('checkout', 'live', { version: '2', weights: {} });
    first.setAlarm('checkout-errors', 'ALARM');
    await first.close();

    const second = await startLocalCodeDeploy({ stateDir, compute: SEED });
    try {
      expect(second.compute.runtime.lambda.alias('checkout', 'live')).toEqual({ version: '2', weights: {} });
      expect(second.compute.runtime.lambda.versionExists('checkout', '3')).toBe(false);
      expect(second.compute.runtime.alarmState('checkout-errors')).toBe('ALARM');
      expect(second.compute.runtime.ecs.service('shop', 'web')?.taskSets).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('the admin endpoint', () => {
  it('adds a seed with PUT /__local/compute and answers what it made', async () => {
    const made = await admin('PUT', 'compute', {
      functions: [
        {
          name: 'from-admin',
          runner: { command: 'cat' },
          versions: [{}],
          aliases: [{ name: 'live', version: '1' }],
        },
      ],
    });
    expect(made).toEqual({
      status: 200,
      json: {
        functions: [
          {
            functionName: 'from-admin',
            functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:from-admin',
            versions: ['1'],
            aliasArns: { live: 'arn:aws:lambda:us-east-1:111122223333:function:from-admin:live' },
          },
        ],
        taskDefinitionArns: [],
        services: [],
        alarms: {},
      },
    });
    await expect(
      h.lambda.send(new GetAliasCommand({ FunctionName: 'from-admin', Name: 'live' })),
    ).resolves.toMatchObject({
      FunctionVersion: '1',
    });
    const invalid = await admin('PUT', 'compute', { functions: [{ name: 'bad name' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({
      error: 'functions[0].name must be 1-64 letters, digits, hyphens or underscores, got "bad name"',
    });
  });

  it('sets and reads alarm states', async () => {
    expect(await admin('GET', 'alarms/latency')).toEqual({
      status: 200,
      json: { name: 'latency', state: 'INSUFFICIENT_DATA' },
    });
    expect(await admin('PUT', 'alarms/latency', { state: 'ALARM' })).toEqual({
      status: 200,
      json: { name: 'latency', state: 'ALARM' },
    });
    expect(h.server.compute.runtime.alarmState('latency')).toBe('ALARM');
    expect((await admin('GET', 'alarms')).json).toMatchObject({ latency: 'ALARM', 'checkout-errors': 'OK' });
    const invalid = await admin('PUT', 'alarms/latency', { state: 'RED' });
    expect(invalid).toEqual({
      status: 400,
      json: { error: 'the body\'s "state" must be one of OK, ALARM, INSUFFICIENT_DATA, got "RED"' },
    });
  });
});

describe('the runtime the deployment engine uses', () => {
  it('invokes a hook function with the deployment and hook execution ids and the server endpoint', async () => {
    const module = join(scratch, 'hook.mjs');
    writeFileSync(
      module,
      [
        'export async function handler(event) {',
        "  const health = await fetch(process.env.AWS_ENDPOINT_URL + '/__local/health').then((r) => r.json());",
        '  console.log(JSON.stringify({ event, health, deployment: process.env.CODEDEPLOY_DEPLOYMENT_ID,',
        '    hook: process.env.CODEDEPLOY_HOOK_EXECUTION_ID }));',
        "  return 'reported';",
        '}',
      ].join('\n'),
    );
    h.server.compute.putFunction({ name: 'before-traffic', runner: { module } });
    const event = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'hook-1' };
    const result = await h.server.compute.runtime.lambda.invoke('before-traffic', event);
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.output ?? '')).toEqual({
      event,
      health: { status: 'ok' },
      deployment: 'd-ABCDEF123',
      hook: 'hook-1',
    });
  });

  it('reports a failing hook function with its output, and an unknown one', async () => {
    const failing = await h.server.compute.runtime.lambda.invoke('checkout:2', {});
    expect(failing).toMatchObject({ ok: false, error: expect.stringContaining('Runtime.ExitError') });
    const unknown = await h.server.compute.runtime.lambda.invoke('ghost', {});
    expect(unknown).toEqual({
      ok: false,
      error: 'Function not found: arn:aws:lambda:us-east-1:111122223333:function:ghost',
    });
  });

  it('kills a running function when the invocation is aborted', async () => {
    const pidFile = join(scratch, 'sleeper.pid');
    h.server.compute.putFunction({ name: 'sleeper', runner: { command: `echo $$ > ${pidFile}; sleep 60` } });
    const controller = new AbortController();
    const running = h.server.compute.runtime.lambda.invoke('sleeper', {}, controller.signal);
    // Waits for the function to start, which takes more than the default second on a loaded machine.
    await expect
      .poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 30_000 })
      .toBe(true);
    controller.abort();
    expect(await running).toMatchObject({ ok: false, error: 'The invocation was stopped.' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('routes aliases only to versions that exist', () => {
    const lambda = h.server.compute.runtime.lambda;
    expect(lambda.functionExists('arn:aws:lambda:us-east-1:111122223333:function:checkout')).toBe(true);
    expect(lambda.versionExists('checkout', '2')).toBe(true);
    expect(() => lambda.routeAlias('checkout', 'live', { version: '1', weights: { '9': 0.1 } })).toThrow(
      'Function not found: arn:aws:lambda:us-east-1:111122223333:function:checkout:9',
    );
    expect(() => lambda.routeAlias('checkout', 'beta', { version: '1', weights: {} })).toThrow(
      'Alias not found',
    );
    lambda.routeAlias('checkout', 'live', { version: '1', weights: { '2': 0.25 } });
    expect(lambda.alias('checkout', 'live')).toEqual({ version: '1', weights: { '2': 0.25 } });
  });

  it('keeps task set changes within what ECS allows', () => {
    const ecs = h.server.compute.runtime.ecs;
    const primary = ecs.service('shop', 'web')?.taskSets.find((t) => t.status === 'PRIMARY');
    expect(() => ecs.deleteTaskSet('shop', 'web', primary?.id ?? '')).toThrow(
      expect.objectContaining({ code: 'InvalidParameterException' }),
    );
    expect(() => ecs.setTaskSetTraffic('shop', 'web', 'ecs-svc/0000000000000000000', 10)).toThrow(
      expect.objectContaining({ code: 'TaskSetNotFoundException' }),
    );
    expect(() => ecs.createTaskSet('shop', 'nope', { taskDefinition: 'web:1', externalId: 'd-1' })).toThrow(
      expect.objectContaining({ code: 'ServiceNotFoundException' }),
    );
    const green = ecs.createTaskSet('shop', 'web', { taskDefinition: 'web:1', externalId: 'd-1' });
    expect(green).toMatchObject({ status: 'ACTIVE', scale: { value: 0 }, runningCount: 0 });
    ecs.scaleTaskSet?.('shop', 'web', green.id ?? '', 100);
    const view = ecs.service('shop', 'web');
    expect(view?.taskSets.find((t) => t.id === green.id)).toMatchObject({ runningCount: 2 });
    expect(view?.trafficWeights?.[green.id ?? '']).toBe(0);
    ecs.deleteTaskSet('shop', 'web', green.id ?? '');
    expect(ecs.service('shop', 'web')?.taskSets).toHaveLength(1);
  });
});
