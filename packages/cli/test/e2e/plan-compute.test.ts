import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CountingProxy, startCountingProxy } from '@codedeploy-gate/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, deploymentsOf, ecsApp, lambdaApp } from '../support/local-compute.js';
import { denyOperation, useLocalCodeDeploy } from '../support/local-fleet.js';
import { runCli } from '../support/run-cli.js';

const local = useLocalCodeDeploy({ workPrefix: 'cli-plan-compute-' });

let proxy: CountingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** Requests that are not reads: JSON protocols' Get/List/BatchGet/Describe, REST GET and HEAD pass. */
function writesIn(requests: string[]): string[] {
  return requests.filter(
    (request) => !/\.(Get|List|BatchGet|Describe)[A-Za-z]+$/.test(request) && !/^(GET|HEAD) \//.test(request),
  );
}

async function planThroughProxy(args: string[]) {
  proxy = await startCountingProxy(local.server.endpoint);
  const run = await runCli(['plan', ...args, '--json'], {
    env: { ...local.env, AWS_ENDPOINT_URL: proxy.endpoint },
  });
  return { run, requests: proxy.requests };
}

/** The group and ECS service options of an `ecsApp`. */
function ecsServiceArgs(app: Awaited<ReturnType<typeof ecsApp>>): string[] {
  const group = ['--application', app.application, '--deployment-group', app.deploymentGroup];
  return [...group, '--ecs-service', `${app.cluster}/${app.service}`];
}

/** The plan of a run that must exit 1 on a blocking finding, having sent read requests only. */
function blockedPlan(run: { code: number | null; stdout: string; stderr: string }, requests: string[]) {
  expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
  expect(writesIn(requests)).toEqual([]);
  const plan = JSON.parse(run.stdout);
  expect(plan.blocking).toBe(true);
  return plan;
}

/** The plan arguments of alias `live` of `fn` moving to version 2. */
function shiftToVersion2(
  app: { application: string; deploymentGroup: string },
  fn: string,
  ...extra: string[]
): string[] {
  return [
    '--application',
    app.application,
    '--deployment-group',
    app.deploymentGroup,
    '--lambda-function',
    fn,
    '--lambda-alias',
    'live',
    '--lambda-version',
    '2',
    ...extra,
  ];
}

/** A local function `name` with versions 1 and 2, alias `live` on version 1. */
function twoVersionsLiveOn1(name: string): void {
  local.server.compute.putFunction({
    name,
    runner: answering(200),
    versions: [{}, {}],
    aliases: [{ name: 'live', version: '1' }],
  });
}

describe('codedeploy-gate plan for Lambda and ECS', () => {
  it('lists a Lambda canary’s steps and the configuration that differs, never a variable’s value, publishing nothing', async () => {
    local.server.compute.putFunction({
      name: 'plan-fn',
      runner: answering(200),
      memorySize: 128,
      environment: { STAGE: 'prod' },
      versions: [{}],
      aliases: [{ name: 'live', version: '1' }],
    });
    local.server.compute.putFunction({
      name: 'plan-fn',
      runner: answering(200),
      memorySize: 256,
      environment: { STAGE: 'prod', API_TOKEN: 'hunter2-never-printed' },
      versions: [{}],
    });
    const app = await lambdaApp(local, 'plan-lambda', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      alarmConfiguration: { enabled: true, alarms: [{ name: 'plan-fn-errors' }] },
    });
    const { run, requests } = await planThroughProxy(shiftToVersion2(app, 'plan-fn'));

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(writesIn(requests)).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    const plan = JSON.parse(run.stdout);
    expect(plan.compute).toMatchObject({
      kind: 'lambda',
      target: 'plan-fn:live',
      from: 'version 1',
      to: 'version 2',
    });
    expect(plan.compute.changes).toEqual([
      { subject: 'memory (MB)', change: 'changed', detail: '128 → 256' },
      { subject: 'environment API_TOKEN', change: 'added', detail: 'variable added' },
    ]);
    expect(plan.traffic).toMatchObject({
      deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      type: 'TimeBasedCanary',
      steps: [
        { atMinutes: 0, percent: 10 },
        { atMinutes: 5, percent: 100 },
      ],
      description: '10 % for 5 min, then 100 %',
    });
    expect(plan.safeguards).toMatchObject({
      autoRollback: 'on DEPLOYMENT_FAILURE',
      alarms: ['plan-fn-errors'],
    });
    expect(await deploymentsOf(local, app)).toEqual([]);
  });

  it('exits 1 naming a hook function that does not exist, the rest of the plan still shown', async () => {
    twoVersionsLiveOn1('hooked-fn');
    const app = await lambdaApp(local, 'plan-hooked');
    const { run, requests } = await planThroughProxy(
      shiftToVersion2(app, 'hooked-fn', '--hook', 'BeforeAllowTraffic=no-such-check'),
    );

    const plan = blockedPlan(run, requests);
    expect(plan.findings).toContainEqual(
      expect.objectContaining({
        severity: 'blocking',
        code: 'missing-hook-function',
        message:
          'the BeforeAllowTraffic hook function no-such-check does not exist: deploy would refuse the deployment',
      }),
    );
    expect(plan.traffic.description).toBe('100 %');
  });

  it('names lambda:GetAlias and the function when reading the alias is refused, exit 1 and no write', async () => {
    twoVersionsLiveOn1('denied-fn');
    const app = await lambdaApp(local, 'plan-denied-fn');
    await denyOperation(local, 'Lambda:GetAlias');

    const { run, requests } = await planThroughProxy(shiftToVersion2(app, 'denied-fn'));
    const plan = blockedPlan(run, requests);
    expect(plan.computePlatform).toBe('Lambda');
    expect(plan.findings).toContainEqual(
      expect.objectContaining({
        severity: 'blocking',
        code: 'access-denied',
        message: expect.stringContaining('may not call lambda:GetAlias on function denied-fn (AccessDenied)'),
        hint: expect.stringContaining("CodeDeploy itself will act as the group's service role arn:aws:iam::"),
      }),
    );
  });

  it('lists an ECS blue/green plan: image change, load balancer container, test traffic, waits and linear steps, registering nothing', async () => {
    const app = await ecsApp(local, 'plan-ecs', {
      deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
    });
    const { run, requests } = await planThroughProxy([
      ...ecsServiceArgs(app),
      '--ecs-image',
      'web=registry.example.com/web:2',
    ]);

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(writesIn(requests)).toEqual([]);
    const plan = JSON.parse(run.stdout);
    expect(plan.compute).toMatchObject({
      kind: 'ecs',
      target: 'plan-ecs/web',
      from: 'plan-ecs-web:1',
      loadBalancer: 'web:8080',
      changes: [
        {
          subject: 'container web image',
          change: 'changed',
          detail: 'registry.example.com/web:1 → registry.example.com/web:2',
        },
      ],
    });
    expect(plan.traffic.steps).toHaveLength(10);
    expect(plan.traffic.steps[1]).toEqual({ atMinutes: 3, percent: 20 });
    expect(plan.traffic.waits).toEqual([
      expect.stringMatching(/^test traffic first, on .*\/test/),
      'waits up to 600 min for a go-ahead (ContinueDeployment) before rerouting production traffic, then stops',
      'keeps the original task set 0 min after success, then terminates it',
    ]);
    expect(await deploymentsOf(local, app)).toEqual([]);
  });

  it('exits 1 naming the load-balanced container the new task definition lacks, where deploy refuses it (exit 2)', async () => {
    const app = await ecsApp(local, 'plan-nocontainer');
    const taskdef = join(local.work, 'taskdef-without-web.json');
    await writeFile(
      taskdef,
      JSON.stringify({
        family: 'plan-nocontainer-web',
        containerDefinitions: [
          { name: 'api', image: 'registry.example.com/api:2', portMappings: [{ containerPort: 8080 }] },
        ],
      }),
    );
    const args = [...ecsServiceArgs(app), '--ecs-task-definition', taskdef];
    const { run, requests } = await planThroughProxy(args);

    const plan = blockedPlan(run, requests);
    expect(plan.findings).toContainEqual(
      expect.objectContaining({
        severity: 'blocking',
        code: 'missing-container',
        message: `the service's load balancer sends traffic to container "web", which ${taskdef} does not have: deploy would refuse the deployment`,
      }),
    );
    expect(plan.traffic.description).toBe('100 %');

    const deploy = await runCli(['deploy', ...args], { env: local.env });
    expect(deploy.code, `${deploy.stdout}${deploy.stderr}`).toBe(2);
    expect(deploy.stderr).toContain(
      `no container "web" in ${taskdef} (the service's load balancer sends traffic to it)`,
    );
    expect(await deploymentsOf(local, app)).toEqual([]);
  });
});
