import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { createBundle, createCodeDeployClient, createS3Client } from '@codedeploy-gate/core';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { until } from '@codedeploy-gate/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActionView,
  actionState,
  createPipeline,
  executionEnd,
  newCodePipelineClient,
  observeAction,
  registerActionTypes,
  startExecution,
  startWorker,
  uploadRelease,
  type WorkerProcess,
} from './support/pipeline.js';

/**
 * Lambda and ECS deployments through the pipeline: the bundled worker as a process, the local
 * CodeDeploy's pipelines, Lambda and ECS, and one "minute" of deployment time lasting MINUTE_MS (a
 * canary interval of 5 minutes is two seconds: long enough for the console to see each step).
 */
const MINUTE_MS = 400;
const ROLE_ARN = 'arn:aws:iam::111122223333:role/CodeDeployServiceRole';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef';
const IMAGE_URI =
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0f3c8a7e5b9d1c2a4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';

/**
 * A hook function as users write one: it says what it checks, then reports HOOK_STATUS with
 * PutLifecycleEventHookExecutionStatus through the SDK (endpoint and credentials from the environment
 * the local Lambda gives it).
 */
const HOOK_MODULE = `
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
export async function handler(event) {
  console.log(process.env.HOOK_SAYS);
  // A verification that takes a moment, as a real smoke test does: long enough for the worker to
  // show it on the console between two polls, however loaded the machine.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.HOOK_HOLD_MS ?? 0)));
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: process.env.HOOK_STATUS,
  }));
}
`;

let server: LocalCodeDeploy;
let codeDeploy: CodeDeployClient;
let codePipeline: CodePipelineClient;
let s3: ReturnType<typeof createS3Client>;
let env: Record<string, string>;
let root: string;
let hookFile: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  server = await startLocalCodeDeploy({
    port: 0,
    minuteMs: MINUTE_MS,
    pipelines: { ackTimeoutMs: 2_000, jobTimeoutMs: 20_000, continuationDelayMs: 150 },
  });
  env = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'worker',
    AWS_SECRET_ACCESS_KEY: 'worker-secret',
  };
  codeDeploy = createCodeDeployClient({ env });
  s3 = createS3Client({ env });
  codePipeline = newCodePipelineClient(server.endpoint);
  await registerActionTypes(codePipeline, s3);
  root = await mkdtemp(join(tmpdir(), 'codepipeline-compute-'));
  hookFile = join(root, 'hook.mjs');
  await writeFile(hookFile, HOOK_MODULE);
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    worker.child.kill('SIGKILL');
    await worker.done;
  }
});

afterAll(async () => {
  codeDeploy?.destroy();
  codePipeline?.destroy();
  s3?.destroy();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function worker(name: string, extra: string[] = []): WorkerProcess {
  const running = startWorker(env, join(root, `state-${name}`), extra);
  workers.push(running);
  return running;
}

/** A hook function that prints `says` and reports `status`. */
function hookFunction(name: string, status: 'Succeeded' | 'Failed', says: string, holdMs = 0) {
  return {
    name,
    runner: { module: hookFile, handler: 'handler' },
    environment: { HOOK_STATUS: status, HOOK_SAYS: says, HOOK_HOLD_MS: String(holdMs) },
  };
}

/** The release a build would hand the pipeline: `files` (path → content; `+x` in the name marks an executable). */
async function release(name: string, files: Record<string, string | Buffer>): Promise<void> {
  const dir = join(root, `release-${name}`);
  for (const [spec, content] of Object.entries(files)) {
    const executable = spec.endsWith('+x');
    const path = join(dir, executable ? spec.slice(0, -2) : spec);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
    if (executable) await chmod(path, 0o755);
  }
  await uploadRelease(s3, `${name}/release.zip`, dir);
}

/** A zip of one file, as a Lambda code package. */
async function codePackage(name: string): Promise<Buffer> {
  const dir = join(root, `code-${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.mjs'), 'export const handler = async () => "v3";\n');
  const zip = join(root, `code-${name}.zip`);
  await createBundle(dir, zip, { format: 'zip' });
  return readFile(zip);
}

async function application(
  name: string,
  platform: 'Lambda' | 'ECS',
  group: Partial<CreateDeploymentGroupInput>,
): Promise<string> {
  const applicationName = `${name}-app`;
  await codeDeploy.send(new CreateApplicationCommand({ applicationName, computePlatform: platform }));
  await codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName,
      deploymentGroupName: 'live',
      serviceRoleArn: ROLE_ARN,
      ...group,
    }),
  );
  return applicationName;
}

async function deploymentsOf(applicationName: string): Promise<string[]> {
  const { deployments = [] } = await codeDeploy.send(
    new ListDeploymentsCommand({ applicationName, deploymentGroupName: 'live' }),
  );
  return deployments;
}

async function deploymentInfo(deploymentId: string) {
  return (await codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
}

/** The percent complete values the console showed, each once, in order. */
const percents = (views: ActionView[]) =>
  views.map((v) => v.percentComplete).filter((p, i, all) => p !== undefined && p !== all[i - 1]);

describe('Lambda deployments through the pipeline', () => {
  it('shifts a canary to a code package from the artifact, the console showing each traffic step, and passes the stage', async () => {
    const name = 'cp-canary';
    server.compute.seed({
      functions: [
        { name: 'checkout', versions: [{}, {}], aliases: [{ name: 'live', version: '1' }] },
        hookFunction('checkout-smoke', 'Succeeded', 'smoke: GET /checkout 200', 1000),
      ],
    });
    const app = await application(name, 'Lambda', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    await release(name, {
      'deploy/revision.yaml': [
        'lambda:',
        '  function: checkout',
        '  alias: live',
        '  zip: build/checkout.zip',
        '  hooks:',
        '    AfterAllowTraffic: checkout-smoke',
        '',
      ].join('\n'),
      'build/checkout.zip': await codePackage(name),
    });
    await createPipeline(codePipeline, {
      name,
      configuration: {
        ApplicationName: app,
        DeploymentGroupName: 'live',
        RevisionSpec: 'deploy/revision.yaml',
      },
    });
    const w = worker(name);
    const watching = observeAction(codePipeline, name, 'Deploy');
    const execution = await startExecution(codePipeline, name);
    const end = await executionEnd(codePipeline, name, execution);
    const views = await watching.stop();
    expect(end.status, JSON.stringify(w.lines().slice(-5))).toBe('Succeeded');
    expect(end.smokeJobs).toBe(1);

    // The code package was uploaded and published as version 3; the alias is all on it now.
    expect(server.compute.runtime.lambda.alias('checkout', 'live')).toEqual({ version: '3', weights: {} });
    const [id, ...others] = await deploymentsOf(app);
    expect(others).toEqual([]);
    expect((await deploymentInfo(id as string))?.status).toBe('Succeeded');
    expect(
      w
        .lines()
        .filter((l) => l.msg === 'revision')
        .map((l) => l.detail),
    ).toContain('published version 3 of checkout');

    // Step by step: 10 % on version 3 (step 1 of 2) while the canary bakes, then the verification hook.
    const canary = views.find((v) => v.percentComplete === 10);
    expect(canary?.summary).toMatch(
      new RegExp(
        `^${id} InProgress · checkout:live traffic: version 1 → 3, 10% on 3 \\(step 1 of 2, canary 10% then 100% after 5m\\)`,
      ),
    );
    expect(views.some((v) => v.summary?.includes('now AfterAllowTraffic'))).toBe(true);
    expect(percents(views)).toEqual(expect.arrayContaining([10, 100]));
    const seen = percents(views);
    expect(seen).toEqual([...seen].sort((a, b) => (a as number) - (b as number)));
    const last = views.at(-1);
    expect(last).toMatchObject({ status: 'Succeeded', percentComplete: 100 });
    expect(last?.summary).toMatch(
      new RegExp(
        `^Deployment ${id} to ${app}/live succeeded on 1 of 1 targets .*checkout:live traffic: version 1 → 3, 100% on 3 \\(step 2 of 2`,
      ),
    );
  });

  it('fails the stage when the AfterAllowTraffic hook fails, naming the hook and its output; the alias goes back', async () => {
    const name = 'cp-lambda-hook';
    server.compute.seed({
      functions: [
        { name: 'orders', versions: [{}, {}], aliases: [{ name: 'live', version: '1' }] },
        hookFunction('orders-smoke', 'Failed', 'smoke: GET /orders expected 200, got 503'),
      ],
    });
    const app = await application(name, 'Lambda', {
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    await release(name, {
      'revision.json': JSON.stringify({
        lambda: {
          function: 'orders',
          alias: 'live',
          version: 2,
          hooks: { AfterAllowTraffic: 'orders-smoke' },
        },
      }),
    });
    await createPipeline(codePipeline, {
      name,
      configuration: { ApplicationName: app, DeploymentGroupName: 'live', RevisionSpec: 'revision.json' },
    });
    worker(name);
    const execution = await startExecution(codePipeline, name);
    const end = await executionEnd(codePipeline, name, execution);
    expect(end).toEqual({ status: 'Failed', smokeJobs: 0 });
    const state = await actionState(codePipeline, name, 'Deploy');
    expect(state?.errorDetails?.code).toBe('JobFailed');
    const message = state?.errorDetails?.message ?? '';
    expect(message).toMatch(/^Deployment d-\w+ to cp-lambda-hook-app\/live failed: /);
    expect(message).toContain('orders:live failed in AfterAllowTraffic (ScriptFailed)');
    expect(message).toContain('orders-smoke');
    expect(message).toContain('smoke: GET /orders expected 200, got 503');
    // CodeDeploy's rollback puts the alias back on version 1, all of it.
    await until('the alias back on version 1', async () => {
      const alias = server.compute.runtime.lambda.alias('orders', 'live');
      return alias?.version === '1' && Object.keys(alias.weights).length === 0 ? true : undefined;
    });
  });
});

/**
 * Service `web` (2 tasks, behind NAME-blue) in cluster NAME, and a blue/green group with a test
 * listener and both waits (the termination wait `terminationWaitMinutes` long, 100 by default).
 */
async function ecsApplication(name: string, terminationWaitMinutes = 100): Promise<string> {
  server.compute.putService(name, {
    name: 'web',
    taskDefinition: {
      family: `${name}-web`,
      containerDefinitions: [{ name: 'web', image: 'shop/web:1', portMappings: [{ containerPort: 8080 }] }],
    },
    desiredCount: 2,
    targetGroups: [`${name}-blue`, `${name}-green`],
  });
  server.compute.seed({
    functions: [hookFunction(`${name}-test-traffic`, 'Succeeded', 'GET :8443/health 200 (test listener)')],
  });
  return application(name, 'ECS', {
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ecsServices: [{ clusterName: name, serviceName: 'web' }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }],
          prodTrafficRoute: { listenerArns: [LISTENER] },
          testTrafficRoute: { listenerArns: [`${LISTENER}-test`] },
        },
      ],
    },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 100 },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: terminationWaitMinutes,
      },
    },
  });
}

describe('ECS blue/green deployments through the pipeline', () => {
  const CHECK = [
    '#!/bin/sh',
    'echo "checking $CODEDEPLOY_GATE_DEPLOYMENT_ID in $CODEDEPLOY_GATE_WAIT_TYPE from $(pwd)"',
    'test -f deploy/taskdef.json || { echo "not run from the artifact"; exit 2; }',
    'if [ "$1" = broken ]; then echo "GET :8443/checkout expected 200, got 502"; exit 1; fi',
    'echo "GET :8443/checkout 200"',
    '',
  ].join('\n');

  function taskDefinitionFile(name: string) {
    return JSON.stringify({
      family: `${name}-web`,
      containerDefinitions: [{ name: 'web', image: 'placeholder', portMappings: [{ containerPort: 8080 }] }],
    });
  }

  it('deploys the image of an ECR source artifact, runs ContinueAfter in both waits and passes the stage', async () => {
    const name = 'cp-ecs-ok';
    const app = await ecsApplication(name);
    await release(name, {
      'deploy/revision.yaml': [
        'ecs:',
        '  taskDefinition: deploy/taskdef.json',
        '  images:',
        '    web: { artifact: WebImage }',
        '  container: web',
        '  port: 8080',
        '  hooks:',
        `    AfterAllowTestTraffic: ${name}-test-traffic`,
        '',
      ].join('\n'),
      'deploy/taskdef.json': taskDefinitionFile(name),
      'checks/smoke.sh+x': CHECK,
    });
    const image = join(root, `image-${name}`);
    await mkdir(image, { recursive: true });
    await writeFile(
      join(image, 'imageDetail.json'),
      JSON.stringify({ ImageURI: IMAGE_URI, ImageTags: ['2'] }),
    );
    await uploadRelease(s3, `${name}/image.zip`, image);
    await createPipeline(codePipeline, {
      name,
      configuration: {
        ApplicationName: app,
        DeploymentGroupName: 'live',
        RevisionSpec: 'deploy/revision.yaml',
        ContinueAfter: './checks/smoke.sh',
      },
      extraSources: [{ artifact: 'WebImage', key: `${name}/image.zip` }],
    });
    const w = worker(name);
    const watching = observeAction(codePipeline, name, 'Deploy');
    const execution = await startExecution(codePipeline, name);
    const end = await executionEnd(codePipeline, name, execution);
    const views = await watching.stop();
    expect(end.status, JSON.stringify(w.lines().slice(-5))).toBe('Succeeded');

    const [id] = await deploymentsOf(app);
    expect((await deploymentInfo(id as string))?.status).toBe('Succeeded');
    // The service runs the registered revision, with the image the ECR artifact named.
    const service = server.compute.runtime.ecs.service(name, 'web');
    expect(service?.taskSets.map((set) => set.status)).toEqual(['PRIMARY']);
    const family = service?.taskDefinition.split('/').at(-1) ?? '';
    expect(server.store.state.ecs.taskDefinitions[family]?.containerDefinitions?.[0]?.image).toBe(IMAGE_URI);

    // The check ran from the artifact in each wait, and the console said so.
    const said = w
      .lines()
      .filter((l) => l.msg === 'check output')
      .map((l) => `${l.waitType}: ${l.line}`);
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^READY_WAIT: checking ${id} in READY_WAIT from /`)),
      'READY_WAIT: GET :8443/checkout 200',
      expect.stringMatching(new RegExp(`^TERMINATION_WAIT: checking ${id} in TERMINATION_WAIT from /`)),
      'TERMINATION_WAIT: GET :8443/checkout 200',
    ]);
    const summaries = views.map((v) => v.summary ?? '');
    expect(summaries).toContainEqual(
      expect.stringMatching(
        /READY_WAIT \(the new version is installed; .*\): verifying with ContinueAfter `\.\/checks\/smoke\.sh`$/,
      ),
    );
    expect(summaries).toContainEqual(
      `${id} READY_WAIT: ContinueAfter \`./checks/smoke.sh\` passed; ContinueDeployment sent: production traffic may move to the new version`,
    );
    expect(views.at(-1)?.summary).toMatch(
      /ContinueAfter `\.\/checks\/smoke\.sh` passed in READY_WAIT and TERMINATION_WAIT\.$/,
    );
    // The check ran with the worker's environment; nothing of its credentials reached the log.
    expect(JSON.stringify(w.lines())).not.toContain('worker-secret');
  });

  it('stops with rollback and fails the stage when ContinueAfter fails in READY_WAIT, quoting its output', async () => {
    const name = 'cp-ecs-bad';
    const app = await ecsApplication(name);
    await release(name, {
      // The service by its ARN, as the CLI and the GitHub Action take it.
      'deploy/revision.yaml': `ecs:\n  service: arn:aws:ecs:us-east-1:111122223333:service/${name}/web\n  images: { web: shop/web:2 }\n`,
      'deploy/taskdef.json': taskDefinitionFile(name),
      'checks/smoke.sh+x': CHECK,
    });
    await createPipeline(codePipeline, {
      name,
      configuration: {
        ApplicationName: app,
        DeploymentGroupName: 'live',
        RevisionSpec: 'deploy/revision.yaml',
        ContinueAfter: './checks/smoke.sh broken',
      },
    });
    worker(name);
    const original = server.compute.runtime.ecs.service(name, 'web')?.taskSets[0]?.id;
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
    const message = (await actionState(codePipeline, name, 'Deploy'))?.errorDetails?.message ?? '';
    expect(message).toMatch(
      /^ContinueAfter `\.\/checks\/smoke\.sh broken` failed \(exit 1\) in READY_WAIT: the deployment was stopped with rollback\. Deployment d-\w+ to cp-ecs-bad-app\/live was stopped/,
    );
    expect(message).toContain('| GET :8443/checkout expected 200, got 502');
    // The group holds the deployment and the rollback CodeDeploy started for it.
    const infos = await Promise.all((await deploymentsOf(app)).map(deploymentInfo));
    const info = infos.find((d) => d?.creator !== 'codeDeployRollback');
    expect(infos).toHaveLength(2);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    const rollback = info?.rollbackInfo?.rollbackDeploymentId as string;
    await until('the rollback to end', async () =>
      (await deploymentInfo(rollback))?.status === 'Succeeded' ? true : undefined,
    );
    // Production never moved: the original task set is the only one, and primary.
    expect(
      server.compute.runtime.ecs.service(name, 'web')?.taskSets.map((s) => `${s.id}:${s.status}`),
    ).toEqual([`${original}:PRIMARY`]);
  });
});

describe('ContinueAfter checks that do not finish', () => {
  async function ecsPipeline(
    name: string,
    continueAfter: string,
    files: Record<string, string> = {},
    terminationWaitMinutes?: number,
  ) {
    const app = await ecsApplication(name, terminationWaitMinutes);
    await release(name, {
      'deploy/revision.yaml': `ecs:\n  service: ${name}/web\n  images: { web: shop/web:2 }\n`,
      ...files,
    });
    await createPipeline(codePipeline, {
      name,
      configuration: {
        ApplicationName: app,
        DeploymentGroupName: 'live',
        RevisionSpec: 'deploy/revision.yaml',
        ContinueAfter: continueAfter,
      },
    });
    return app;
  }

  it('kills a check at --check-timeout, stops the deployment with rollback and fails the stage', async () => {
    const name = 'cp-check-slow';
    await ecsPipeline(name, 'echo "waiting for the canary to warm up"; sleep 60');
    worker(name, ['--check-timeout', '1s']);
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
    const message = (await actionState(codePipeline, name, 'Deploy'))?.errorDetails?.message ?? '';
    expect(message).toMatch(
      /^ContinueAfter `echo .*` was killed at its time limit .* in READY_WAIT: the deployment was stopped with rollback\./,
    );
    expect(message).toContain('| waiting for the canary to warm up');
  });

  it('fails the stage when the check fails after the termination wait ended and CodeDeploy completed the deployment', async () => {
    const name = 'cp-check-late';
    // Passes in READY_WAIT; in TERMINATION_WAIT it fails only once the wait (10 "minutes") has run
    // out and the deployment has succeeded, so StopDeployment is bound to come too late.
    const check = `import { CodeDeployClient, GetDeploymentCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
if (process.env.CODEDEPLOY_GATE_WAIT_TYPE === 'READY_WAIT') process.exit(0);
const client = new CodeDeployClient({});
const deploymentId = process.env.CODEDEPLOY_GATE_DEPLOYMENT_ID;
for (;;) {
  const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId }));
  if (deploymentInfo.status !== 'InProgress') break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log('GET /checkout 500 (seen after the wait)');
process.exit(1);
`;
    const app = await ecsPipeline(name, 'node check.mjs', { 'check.mjs': check }, 10);
    const w = worker(name);
    const execution = await startExecution(codePipeline, name);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
    const [id, ...others] = await deploymentsOf(app);
    expect(others).toEqual([]);
    expect((await deploymentInfo(id as string))?.status).toBe('Succeeded');
    const state = await actionState(codePipeline, name, 'Deploy');
    expect(state?.errorDetails?.code).toBe('JobFailed');
    const message = state?.errorDetails?.message ?? '';
    expect(message).toMatch(
      new RegExp(
        `^Deployment ${id} to ${app}/live succeeded in CodeDeploy, but \`node check\\.mjs\` failed \\(exit 1\\) in TERMINATION_WAIT after the wait had ended, too late to stop it\\. The new version stays in production`,
      ),
    );
    expect(message).toContain('| GET /checkout 500 (seen after the wait)');
    expect(w.lines().map((l) => l.msg)).toContain(
      'ContinueAfter failed after the deployment had completed: too late to stop it',
    );
  });

  it('leaves a check cut off by a stopping worker to the next worker, which runs it again', async () => {
    const name = 'cp-check-handover';
    const marker = join(root, `${name}-first-run`);
    // The first run hangs (the worker is stopped meanwhile); a second run passes.
    const check = `#!/bin/sh\nif [ ! -e ${marker} ]; then touch ${marker}; echo "first run: hanging"; sleep 60; fi\necho "second run: GET /health 200"\n`;
    const app = await ecsPipeline(name, './check.sh', { 'check.sh+x': check });
    const first = worker(`${name}-1`, ['--shutdown-grace', '300ms']);
    const execution = await startExecution(codePipeline, name);
    await until('the first run of the check', async () =>
      first.lines().some((l) => l.msg === 'check output') ? true : undefined,
    );
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(0);
    expect(first.lines().map((l) => l.msg)).toContain(
      'ContinueAfter cut off by the worker stopping; the next job runs it again',
    );
    const second = worker(`${name}-2`);
    expect((await executionEnd(codePipeline, name, execution)).status).toBe('Succeeded');
    expect(
      second
        .lines()
        .filter((l) => l.msg === 'check output')
        .map((l) => l.line),
    ).toContain('second run: GET /health 200');
    expect(await deploymentsOf(app)).toHaveLength(1);
  });
});

describe('a RevisionSpec that cannot be used', () => {
  it.each([
    {
      name: 'cp-spec-field',
      spec: 'revision.yaml',
      text: 'lambda:\n  function: ledger\n',
      message:
        /^RevisionSpec revision\.yaml \(input artifact Release\): lambda\.alias is required here; nothing was created/,
    },
    {
      name: 'cp-spec-file',
      spec: 'deploy/nope.yaml',
      text: 'lambda: {}\n',
      message:
        /^RevisionSpec deploy\/nope\.yaml is not a file in the input artifact Release; nothing was created/,
    },
  ])(
    'fails the stage as ConfigurationError ($name), naming file and field, with nothing created',
    async ({ name, spec, text, message }) => {
      server.compute.seed({
        functions: [{ name, versions: [{}], aliases: [{ name: 'live', version: '1' }] }],
      });
      const app = await application(name, 'Lambda', {});
      await release(name, { 'revision.yaml': text.replace('ledger', name) });
      await createPipeline(codePipeline, {
        name,
        configuration: { ApplicationName: app, DeploymentGroupName: 'live', RevisionSpec: spec },
      });
      worker(name);
      const execution = await startExecution(codePipeline, name);
      expect((await executionEnd(codePipeline, name, execution)).status).toBe('Failed');
      const state = await actionState(codePipeline, name, 'Deploy');
      expect(state?.errorDetails?.code).toBe('ConfigurationError');
      expect(state?.errorDetails?.message).toMatch(message);
      expect(await deploymentsOf(app)).toEqual([]);
      expect(server.compute.runtime.lambda.versionExists(name, '2')).toBe(false);
    },
  );
});
