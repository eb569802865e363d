import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupInput,
  GetDeploymentCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { createBundle, createCodeDeployClient } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, newJob, runStep, type StepResult } from './support/runner.js';

/*
 * Lambda and ECS deployments through the bundled action, as the runner runs it, against the local
 * CodeDeploy (with its local Lambda and ECS) over HTTP. One deployment "minute" lasts MINUTE_MS, so a
 * 5-minute canary takes 1.5 s and the action's 0.25 s polls see each step (with room for a slow machine).
 */
const MINUTE_MS = 300;
const ROLE_ARN = 'arn:aws:iam::111122223333:role/CodeDeployServiceRole';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef';
const SECRET = 'gh-compute-secret-Hn4Vc8Tq2Lm6';

/**
 * A hook function as users write one: it logs, then reports HOOK_STATUS for its lifecycle event with
 * PutLifecycleEventHookExecutionStatus (endpoint and credentials from the environment the local Lambda
 * gives it).
 */
const HOOK_MODULE = `
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
export async function handler(event) {
  console.log(process.env.HOOK_SAYS + ' (deployment ' + event.DeploymentId + ')');
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: process.env.HOOK_STATUS,
  }));
}
`;

let server: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let awsEnv: Record<string, string>;
let root: string;
let hookFile: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gh action compute '));
  hookFile = join(root, 'hook.mjs');
  await writeFile(hookFile, HOOK_MODULE);
  server = await startLocalCodeDeploy({ port: 0, minuteMs: MINUTE_MS });
  awsEnv = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIAGHACTIONTEST',
    AWS_SECRET_ACCESS_KEY: SECRET,
  };
  codeDeploy = createCodeDeployClient({ env: awsEnv });
});

afterAll(async () => {
  codeDeploy?.destroy();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** A hook function that logs `says` and reports `status`. */
function hook(name: string, status: 'Succeeded' | 'Failed', says: string) {
  return {
    name,
    runner: { module: hookFile, handler: 'handler' },
    environment: { HOOK_STATUS: status, HOOK_SAYS: says },
  };
}

async function application(
  name: string,
  platform: 'Lambda' | 'ECS',
  group: Partial<CreateDeploymentGroupInput>,
): Promise<void> {
  await codeDeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: platform }));
  await codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: name,
      deploymentGroupName: 'live',
      serviceRoleArn: ROLE_ARN,
      ...group,
    }),
  );
}

async function job(name: string): Promise<Job> {
  const workspace = join(root, name, 'workspace');
  await mkdir(workspace, { recursive: true });
  return newJob(join(root, name), 'runner', workspace);
}

async function step(job: Job, inputs: Record<string, string>): Promise<StepResult> {
  const result = await runStep(
    'main',
    job,
    { 'deployment-group': 'live', 'poll-interval': '0.25s', 'max-poll-interval': '0.5s', ...inputs },
    awsEnv,
  );
  for (const text of [result.stdout, result.stderr, JSON.stringify(result.outputs), result.summary]) {
    expect(text.replaceAll(`::add-mask::${SECRET}`, '')).not.toContain(SECRET);
  }
  return result;
}

async function deploymentsOf(applicationName: string): Promise<string[]> {
  const { deployments = [] } = await codeDeploy.send(
    new ListDeploymentsCommand({ applicationName, deploymentGroupName: 'live' }),
  );
  return deployments;
}

async function statusOf(deploymentId: string): Promise<string | undefined> {
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  return deploymentInfo?.status;
}

function errors(result: StepResult) {
  return result.commands.filter((c) => c.command === 'error');
}

/** Asserts that the log holds each line (a regular expression on one line), in this order. */
function expectInOrder(log: string, lines: RegExp[]): void {
  let from = 0;
  for (const line of lines) {
    const index = log.slice(from).search(new RegExp(line.source, 'm'));
    expect(index, `after offset ${from}, the log has ${line}:\n${log}`).toBeGreaterThanOrEqual(0);
    from += index + 1;
  }
}

describe('the bundled action deploying Lambda functions', () => {
  it('uploads the zip, publishes it and shifts the alias as a canary, 10% then 100%, with hooks', async () => {
    server.compute.seed({
      functions: [
        { name: 'checkout', versions: [{ description: 'live' }], aliases: [{ name: 'live', version: '1' }] },
        hook('checkout-pre', 'Succeeded', 'version answers before traffic'),
        hook('checkout-smoke', 'Succeeded', 'error rate 0.1% after the shift'),
      ],
    });
    await application('checkout', 'Lambda', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    const run = await job('checkout');
    const code = join(run.workspace, 'function');
    await mkdir(code);
    await writeFile(join(code, 'index.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
    await mkdir(join(run.workspace, 'build'));
    await createBundle(code, join(run.workspace, 'build', 'function.zip'), { format: 'zip' });

    const result = await step(run, {
      application: 'checkout',
      'lambda-function': 'checkout',
      'lambda-alias': 'live',
      'lambda-zip': 'build/function.zip',
      hooks: 'BeforeAllowTraffic=checkout-pre\nAfterAllowTraffic=checkout-smoke',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [id] = await deploymentsOf('checkout');
    expect(result.outputs).toMatchObject({
      'deployment-id': id,
      status: 'Succeeded',
      verdict: 'succeeded',
      'lambda-version': '2',
      'task-definition-arn': '',
      'traffic-percent': '100',
    });
    expect(result.outputs.revision).toMatch(/^appspec sha256:[0-9a-f]{12}.*checkout:live 1 → 2/);

    // Preparing: what was changed to deploy it; then each traffic step after the event that moved it.
    expectInOrder(result.stdout, [
      /^::group::Preparing the deployment$/,
      /^checking Lambda function checkout, alias live$/,
      /^\+ updating the code of checkout from .*build\/function\.zip$/,
      /^\+ published version 2 of checkout$/,
      new RegExp(`^::group::Deployment ${id}$`),
      /^ {2}checkout:live +✓ BeforeAllowTraffic Succeeded/,
      /^ {2}checkout:live +traffic 10% → version 2 \(step 1 of 2, canary 10% then 100% after 5m\)$/,
      /^ {2}checkout:live +traffic 100% → version 2 \(step 2 of 2, canary 10% then 100% after 5m\)$/,
      /^ {2}checkout:live +✓ AfterAllowTraffic Succeeded/,
      /^::endgroup::$/,
    ]);
    expect(errors(result)).toEqual([]);

    expect(result.summary).toContain(
      '| Traffic | `checkout:live` version 1 → 2, 100% on 2 (step 2 of 2, canary',
    );
    expect(server.compute.runtime.lambda.alias('checkout', 'live')).toEqual({ version: '2', weights: {} });
  });

  it('fails the step when the AfterAllowTraffic hook fails, follows the rollback and leaves the alias on the old version', async () => {
    server.compute.seed({
      functions: [
        { name: 'orders', versions: [{}, {}], aliases: [{ name: 'live', version: '1' }] },
        hook('orders-smoke', 'Failed', 'error rate 12% above the 1% budget'),
      ],
    });
    await application('orders', 'Lambda', {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const result = await step(await job('orders'), {
      application: 'orders',
      'lambda-function': 'orders',
      'lambda-alias': 'live',
      'lambda-version': '2',
      hooks: 'AfterAllowTraffic=orders-smoke',
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'Failed', verdict: 'failed', 'lambda-version': '2' });
    const rollbackId = result.outputs['rollback-deployment-id'] as string;
    expect(rollbackId).toMatch(/^d-/);
    expect(await statusOf(rollbackId)).toBe('Succeeded');
    expectInOrder(result.stdout, [
      /^ {2}orders:live +traffic 100% → version 2 \(step 1 of 1, all at once\)$/,
      /^ {2}orders:live +✗ AfterAllowTraffic Failed/,
      new RegExp(`^::group::Rollback ${rollbackId}$`),
      /^ {2}orders:live +traffic 100% → version 1 \(step 1 of 1, all at once\)$/,
    ]);

    const hookError = errors(result).find((e) => e.properties.title?.includes('AfterAllowTraffic failed'));
    expect(hookError?.properties.title).toBe(
      'orders:live: AfterAllowTraffic failed (ScriptFailed) in hook function orders-smoke',
    );
    expect(hookError?.message).toContain('hook function: orders-smoke (AfterAllowTraffic)');
    expect(hookError?.message).toContain('error rate 12% above the 1% budget');
    expect(result.summary).toContain(rollbackId);
    expect(server.compute.runtime.lambda.alias('orders', 'live')).toEqual({ version: '1', weights: {} });
  });

  it.each([
    [
      'an event Lambda does not have in hooks',
      'payments',
      { 'lambda-version': '2', hooks: 'AfterAllowTestTraffic=payments-smoke' },
      /input "hooks" names AfterAllowTestTraffic, which is not a hook event of Lambda deployments/,
    ],
    [
      'both lambda-zip and lambda-version',
      'refunds',
      { 'lambda-version': '2', 'lambda-zip': 'build/function.zip' },
      /input "lambda-zip" cannot be combined with input "lambda-version"/,
    ],
  ])(
    'rejects %s with exit 2, naming the input, creating and publishing nothing',
    async (_name, app, inputs, message) => {
      server.compute.seed({
        functions: [{ name: app, versions: [{}, {}], aliases: [{ name: 'live', version: '1' }] }],
      });
      await application(app, 'Lambda', {});
      const result = await step(await job(app), {
        application: app,
        'lambda-function': app,
        'lambda-alias': 'live',
        ...inputs,
      });
      expect(result.code, result.stdout).toBe(2);
      expect(errors(result)).toHaveLength(1);
      expect(errors(result)[0]?.message).toMatch(message);
      expect(errors(result)[0]?.message).toContain('nothing was created');
      expect(result.outputs).toEqual({});
      expect(await deploymentsOf(app)).toEqual([]);
      expect(server.compute.runtime.lambda.versionExists(app, '3')).toBe(false);
    },
  );
});

describe('the bundled action deploying ECS services blue/green', () => {
  /** Service `web` (2 tasks of shop/web:1 behind CLUSTER-blue) and a group that waits in READY_WAIT and TERMINATION_WAIT. */
  async function ecsService(cluster: string): Promise<{ originalTaskSet: string }> {
    const seeded = server.compute.putService(cluster, {
      name: 'web',
      taskDefinition: {
        family: `${cluster}-web`,
        containerDefinitions: [{ name: 'web', image: 'shop/web:1', portMappings: [{ containerPort: 8080 }] }],
      },
      desiredCount: 2,
      targetGroups: [`${cluster}-blue`, `${cluster}-green`],
    });
    server.compute.seed({
      functions: [hook(`${cluster}-test-traffic`, 'Succeeded', 'test listener answers 200')],
    });
    await application(cluster, 'ECS', {
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ecsServices: [{ clusterName: cluster, serviceName: 'web' }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: `${cluster}-blue` }, { name: `${cluster}-green` }],
            prodTrafficRoute: { listenerArns: [LISTENER] },
            testTrafficRoute: { listenerArns: [`${LISTENER}-test`] },
          },
        ],
      },
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 60 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'],
      },
    });
    return { originalTaskSet: seeded.taskSetId ?? '' };
  }

  it('registers the service’s task definition with the new image, verifies in each wait with continue-after and succeeds', async () => {
    await ecsService('shop');
    const result = await step(await job('shop'), {
      application: 'shop',
      'ecs-images': 'web=shop/web:2',
      hooks: 'AfterAllowTestTraffic=shop-test-traffic',
      'continue-after':
        'echo "smoke test in $CODEDEPLOY_GATE_WAIT_TYPE of $CODEDEPLOY_GATE_DEPLOYMENT_ID: 200 OK"',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [id] = await deploymentsOf('shop');
    expect(result.outputs).toMatchObject({
      'deployment-id': id,
      verdict: 'succeeded',
      'lambda-version': '',
      'traffic-percent': '100',
    });
    const arn = result.outputs['task-definition-arn'] as string;
    expect(arn).toMatch(/:task-definition\/shop-web:2$/);

    // The task definition registered while preparing; then READY_WAIT: the check runs (its output in
    // the log) and passes, and production traffic moves; then TERMINATION_WAIT: the same check again,
    // under production traffic, before the original tasks go.
    expectInOrder(result.stdout, [
      /^::group::Preparing the deployment$/,
      /^\+ registered task definition shop-web:2 \(web=shop\/web:2\)$/,
      new RegExp(`^::group::Deployment ${id}$`),
      /^ {2}shop:web +✓ AfterAllowTestTraffic Succeeded/,
      new RegExp(`^\\[0:\\d\\d\\] ⏸ deployment ${id} is in READY_WAIT .*: running \`echo`),
      new RegExp(`^smoke test in READY_WAIT of ${id}: 200 OK$`),
      /^✓ `echo .*` passed in READY_WAIT$/,
      /^→ ContinueDeployment READY_WAIT/,
      /^ {2}shop:web +traffic Green 10% \/ Blue 90% \(step 1 of 2, canary 10% then 100% after 5m\)$/,
      /^ {2}shop:web +traffic Green 100% \/ Blue 0% \(step 2 of 2, canary 10% then 100% after 5m\)$/,
      new RegExp(`^\\[0:\\d\\d\\] ⏸ deployment ${id} is in TERMINATION_WAIT`),
      new RegExp(`^smoke test in TERMINATION_WAIT of ${id}: 200 OK$`),
      /^→ ContinueDeployment TERMINATION_WAIT/,
    ]);
    expect(server.compute.runtime.ecs.service('shop', 'web')?.taskDefinition).toBe(arn);
    expect(result.summary).toMatch(/\| Traffic \| `shop:web` .*100%/);
  });

  it('stops with a rollback when continue-after fails in READY_WAIT: the step fails and production stays on the original', async () => {
    const { originalTaskSet } = await ecsService('cart');
    const result = await step(await job('cart'), {
      application: 'cart',
      'ecs-service': 'cart/web',
      'ecs-images': 'web=shop/web:broken',
      'continue-after': 'echo "test listener answered 503"; exit 1',
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'stopped', status: 'Stopped' });
    const rollbackId = result.outputs['rollback-deployment-id'] as string;
    expect(rollbackId).toMatch(/^d-/);
    expect(await statusOf(rollbackId)).toBe('Succeeded');
    expectInOrder(result.stdout, [
      /^\[0:\d\d\] ⏸ deployment d-\w+ is in READY_WAIT/,
      /^test listener answered 503$/,
      /^✗ `echo .*` failed in READY_WAIT: stopping with rollback$/,
      new RegExp(`^::group::Rollback ${rollbackId}$`),
    ]);
    expect(result.stdout).not.toMatch(/cart:web +traffic Green 10%/);
    // The annotation says why the gate stopped it (not CodeDeploy's MANUAL_STOP), then the verdict.
    expect(errors(result).map((e) => e.properties.title ?? e.message.split('\n')[0])).toEqual([
      'continue-after failed in READY_WAIT',
      expect.stringMatching(/^Deployment d-\w+ to cart\/live was stopped/),
    ]);
    expect(server.compute.runtime.ecs.service('cart', 'web')?.taskSets.map((set) => set.id)).toEqual([
      originalTaskSet,
    ]);
  });
});
