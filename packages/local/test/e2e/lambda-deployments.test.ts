import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetDeploymentTargetsCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupInput,
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListApplicationRevisionsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  RegisterApplicationRevisionCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ROLE_ARN, rejectionOf, startHarness } from './helpers.js';

/**
 * A hook function as a user writes one: it reports its status with PutLifecycleEventHookExecutionStatus
 * through the SDK (endpoint and credentials from the environment the local Lambda gives it).
 * HOOK_STATUS decides the report ("silent": none); HOOK_EVENT_FILE, when set, receives the event.
 */
const HOOK_MODULE = `
import { writeFileSync } from 'node:fs';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
export async function handler(event) {
  console.log('validating deployment ' + event.DeploymentId);
  if (process.env.HOOK_EVENT_FILE) writeFileSync(process.env.HOOK_EVENT_FILE, JSON.stringify(event));
  const status = process.env.HOOK_STATUS;
  if (status === 'silent') return 'no report';
  const client = new CodeDeployClient({});
  await client.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  }));
  console.log('reported ' + status);
  return status;
}
`;

/** One "minute" of traffic shifting: long enough for a poller to see every step, short for a test. */
const MINUTE_MS = 150;

let h: Harness;
let dir: string;
let hookFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-deployments-'));
  hookFile = join(dir, 'hook.mjs');
  await writeFile(hookFile, HOOK_MODULE);
  h = await startHarness({ minuteMs: MINUTE_MS });
});

afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

/** A function with versions 1 and 2 and alias `live` on 1, plus hook functions, in a fresh application. */
async function setup(
  name: string,
  group: Partial<CreateDeploymentGroupInput> = {},
  hooks: Record<string, string> = {},
  harness: Harness = h,
): Promise<{ application: string; functionName: string }> {
  harness.server.compute.seed({
    functions: [
      { name, versions: [{}, {}], aliases: [{ name: 'live', version: '1' }] },
      ...Object.entries(hooks).map(([hookName, status]) => ({
        name: hookName,
        runner: { module: hookFile, handler: 'handler' },
        // Stated rather than left to the seed's default: a loaded machine starts node and the SDK slowly.
        timeout: 60,
        environment: {
          HOOK_STATUS: status,
          ...(status === 'silent' ? { HOOK_EVENT_FILE: join(dir, `${hookName}.json`) } : {}),
        },
      })),
    ],
  });
  const application = `${name}-app`;
  await harness.codeDeploy.send(
    new CreateApplicationCommand({ applicationName: application, computePlatform: 'Lambda' }),
  );
  await harness.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: 'live',
      serviceRoleArn: ROLE_ARN,
      ...group,
    }),
  );
  return { application, functionName: name };
}

function appSpec(functionName: string, hooks: Record<string, string> = {}): string {
  const lines = [
    'version: 0.0',
    'Resources:',
    `  - ${functionName}:`,
    '      Type: AWS::Lambda::Function',
    '      Properties:',
    `        Name: ${functionName}`,
    '        Alias: live',
    '        CurrentVersion: "1"',
    '        TargetVersion: "2"',
  ];
  if (Object.keys(hooks).length > 0) {
    lines.push('Hooks:', ...Object.entries(hooks).map(([event, fn]) => `  - ${event}: ${fn}`));
  }
  return `${lines.join('\n')}\n`;
}

async function deploy(
  application: string,
  revision: RevisionLocation,
  harness: Harness = h,
): Promise<string> {
  const { deploymentId } = await harness.codeDeploy.send(
    new CreateDeploymentCommand({ applicationName: application, deploymentGroupName: 'live', revision }),
  );
  return deploymentId!;
}

const inline = (content: string): RevisionLocation => ({
  revisionType: 'AppSpecContent',
  appSpecContent: { content },
});

async function settle(deploymentId: string, harness: Harness = h): Promise<DeploymentInfo> {
  for (let i = 0; i < 1200; i++) {
    const { deploymentInfo } = await harness.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    if (['Succeeded', 'Failed', 'Stopped'].includes(deploymentInfo?.status ?? '')) return deploymentInfo!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`deployment ${deploymentId} did not finish`);
}

/**
 * Polls the one target as a watcher would, recording each new targetVersionWeight from the first
 * shift on (BeforeAllowTraffic without a hook takes no time, so 0 may never be seen), until the end.
 */
async function watchWeights(deploymentId: string, targetId: string): Promise<number[]> {
  const weights: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const [{ deploymentTargets }, { deploymentInfo }] = await Promise.all([
      h.codeDeploy
        .send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: [targetId] }))
        .catch(() => ({ deploymentTargets: [] })),
      h.codeDeploy.send(new GetDeploymentCommand({ deploymentId })),
    ]);
    const weight = deploymentTargets?.[0]?.lambdaTarget?.lambdaFunctionInfo?.targetVersionWeight;
    if (weight !== undefined && weight > 0 && weights.at(-1) !== weight) weights.push(weight);
    if (['Succeeded', 'Failed', 'Stopped'].includes(deploymentInfo?.status ?? '')) return weights;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`deployment ${deploymentId} did not finish`);
}

describe('Lambda deployments through the real SDK', () => {
  it('shifts a canary: 10 % of the alias on the target version for the interval, then all of it', async () => {
    const { application, functionName } = await setup('canary', {
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    const id = await deploy(application, inline(appSpec(functionName)));
    let routed: Record<string, number> | undefined;
    const watching = watchWeights(id, `${functionName}:live`);
    for (let i = 0; i < 400 && routed === undefined; i++) {
      const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
      routed = alias.RoutingConfig?.AdditionalVersionWeights;
      if (routed === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(routed).toEqual({ '2': 0.1 });
    expect(await watching).toEqual([10, 100]);
    const { deploymentTarget } = await h.codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: id, targetId: `${functionName}:live` }),
    );
    expect(deploymentTarget).toMatchObject({
      deploymentTargetType: 'LambdaTarget',
      lambdaTarget: {
        targetId: `${functionName}:live`,
        targetArn: `arn:aws:lambda:us-east-1:111122223333:function:${functionName}:live`,
        status: 'Succeeded',
        lambdaFunctionInfo: {
          functionName,
          functionAlias: 'live',
          currentVersion: '1',
          targetVersion: '2',
          targetVersionWeight: 100,
        },
      },
    });
    expect(
      deploymentTarget?.lambdaTarget?.lifecycleEvents?.map((e) => `${e.lifecycleEventName}:${e.status}`),
    ).toEqual(['BeforeAllowTraffic:Succeeded', 'AllowTraffic:Succeeded', 'AfterAllowTraffic:Succeeded']);
    const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });

  it('shifts linearly, 10 % more every interval, each step visible in BatchGetDeploymentTargets', async () => {
    const { application, functionName } = await setup('linear', {
      deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    });
    const id = await deploy(application, inline(appSpec(functionName)));
    // A poller on a loaded machine may miss a step; the engine test pins the exact sequence.
    const weights = await watchWeights(id, `${functionName}:live`);
    expect(weights.at(-1)).toBe(100);
    expect(weights.length).toBeGreaterThanOrEqual(3);
    expect(weights.every((weight, i) => i === 0 || weight > weights[i - 1]!)).toBe(true);
    expect(weights.every((weight) => weight % 10 === 0)).toBe(true);
    const { targetIds } = await h.codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }));
    expect(targetIds).toEqual([`${functionName}:live`]);
    expect((await settle(id)).deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 0 });
  });

  it('fails on a failed AfterAllowTraffic hook with its diagnostics and rolls the alias back', async () => {
    const { application, functionName } = await setup(
      'after-fails',
      { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } },
      { 'after-fails-before': 'Succeeded', 'after-fails-after': 'Failed' },
    );
    const id = await deploy(
      application,
      inline(
        appSpec(functionName, {
          BeforeAllowTraffic: 'after-fails-before',
          AfterAllowTraffic: 'after-fails-after',
        }),
      ),
    );
    const info = await settle(id);
    expect(info).toMatchObject({
      status: 'Failed',
      computePlatform: 'Lambda',
      errorInformation: {
        code: 'HOOK_EXECUTION_FAILURE',
        message:
          'The deployment failed because one or more of the lifecycle event validation functions failed.',
      },
    });
    const { deploymentTargets } = await h.codeDeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [`${functionName}:live`] }),
    );
    const events = deploymentTargets?.[0]?.lambdaTarget?.lifecycleEvents ?? [];
    expect(events.map((e) => `${e.lifecycleEventName}:${e.status}`)).toEqual([
      'BeforeAllowTraffic:Succeeded',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Failed',
    ]);
    expect(events[2]?.diagnostics).toMatchObject({
      errorCode: 'ScriptFailed',
      scriptName: 'after-fails-after',
      message: 'The hook function after-fails-after reported Failed for AfterAllowTraffic.',
    });
    expect(events[2]?.diagnostics?.logTail).toContain(`validating deployment ${id}`);
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(await settle(rollbackId!)).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    // The rollback moves the alias from the failed version back to the original one, all at once.
    const back = await h.codeDeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId: rollbackId, targetIds: [`${functionName}:live`] }),
    );
    expect(back.deploymentTargets?.[0]?.lambdaTarget?.lambdaFunctionInfo).toEqual({
      functionName,
      functionAlias: 'live',
      currentVersion: '2',
      targetVersion: '1',
      targetVersionWeight: 100,
    });
    const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    expect(alias.FunctionVersion).toBe('1');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });

  it('creates no rollback for a deployment that failed before moving the alias: the alias stays where it was', async () => {
    const { application, functionName } = await setup('untouched', {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    // The alias is on version 3, not on the AppSpec's CurrentVersion 1.
    h.server.compute.seed({
      functions: [{ name: functionName, versions: [{}], aliases: [{ name: 'live', version: '3' }] }],
    });
    const id = await deploy(application, inline(appSpec(functionName)));
    const info = await settle(id);
    expect(info).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'INVALID_LAMBDA_CONFIGURATION' },
      rollbackInfo: {
        rollbackMessage:
          'Automatic rollback was not performed because the deployment ended before it shifted any traffic: the alias or the service is as it was.',
      },
    });
    expect(info.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    const { deployments } = await h.codeDeploy.send(
      new ListDeploymentsCommand({ applicationName: application, deploymentGroupName: 'live' }),
    );
    expect(deployments).toEqual([id]);
    const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    expect(alias.FunctionVersion).toBe('3');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });

  it('takes a report from outside the hook, answering PutLifecycleEventHookExecutionStatus errors as AWS does', async () => {
    const { application, functionName } = await setup('outside', {}, { 'outside-before': 'silent' });
    const id = await deploy(
      application,
      inline(appSpec(functionName, { BeforeAllowTraffic: 'outside-before' })),
    );
    const eventFile = join(dir, 'outside-before.json');
    let event: { DeploymentId: string; LifecycleEventHookExecutionId: string } | undefined;
    for (let i = 0; i < 500 && !event; i++) {
      // Not there yet, or caught half-written by the function: look again.
      event = await readFile(eventFile, 'utf8')
        .then((text) => JSON.parse(text))
        .catch(() => undefined);
      if (!event) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(event?.DeploymentId).toBe(id);
    const executionId = event!.LifecycleEventHookExecutionId;
    const put = (input: { deploymentId?: string; lifecycleEventHookExecutionId?: string; status?: string }) =>
      h.codeDeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: id,
          lifecycleEventHookExecutionId: executionId,
          status: 'Succeeded',
          ...input,
        } as never),
      );
    expect((await rejectionOf(put({ deploymentId: 'd-AAAAAAAAA' }))).name).toBe(
      'DeploymentDoesNotExistException',
    );
    expect((await rejectionOf(put({ lifecycleEventHookExecutionId: 'bm90LWFuLWlk' }))).name).toBe(
      'InvalidLifecycleEventHookExecutionIdException',
    );
    expect((await rejectionOf(put({ status: 'InProgress' }))).name).toBe(
      'InvalidLifecycleEventHookExecutionStatusException',
    );
    expect(await put({})).toMatchObject({ lifecycleEventHookExecutionId: executionId });
    expect((await rejectionOf(put({ status: 'Failed' }))).name).toBe(
      'LifecycleEventAlreadyCompletedException',
    );
    expect((await settle(id)).status).toBe('Succeeded');
  });

  it('reads an appspec.yaml from S3, and refuses a zip bundle for a Lambda deployment', async () => {
    const { application, functionName } = await setup('from-s3');
    await h.s3.send(new CreateBucketCommand({ Bucket: 'lambda-revisions' }));
    await h.s3.send(
      new PutObjectCommand({
        Bucket: 'lambda-revisions',
        Key: 'from-s3/appspec.yaml',
        Body: appSpec(functionName),
      }),
    );
    const zip = await rejectionOf(
      deploy(application, {
        revisionType: 'S3',
        s3Location: { bucket: 'lambda-revisions', key: 'from-s3/app.zip', bundleType: 'zip' },
      }),
    );
    expect(zip.name).toBe('InvalidRevisionException');
    expect(zip.message).toMatch(/BundleType must be either YAML or JSON/);
    const missing = await rejectionOf(
      deploy(application, {
        revisionType: 'S3',
        s3Location: { bucket: 'lambda-revisions', key: 'from-s3/missing.yaml', bundleType: 'YAML' },
      }),
    );
    expect(missing.name).toBe('RevisionDoesNotExistException');
    const id = await deploy(application, {
      revisionType: 'S3',
      s3Location: { bucket: 'lambda-revisions', key: 'from-s3/appspec.yaml', bundleType: 'YAML' },
    });
    expect((await settle(id)).status).toBe('Succeeded');
  });

  it('rejects an AppSpec whose sha256 does not match, creating no deployment', async () => {
    const { application, functionName } = await setup('bad-sha');
    const error = await rejectionOf(
      deploy(application, {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: appSpec(functionName), sha256: '0'.repeat(64) },
      }),
    );
    expect(error.name).toBe('InvalidRevisionException');
    expect(error.message).toMatch(/sha256/);
    expect(
      h.server.store.state.deploymentGroups[`${application}/live`]?.lastAttemptedDeployment,
    ).toBeUndefined();
  });

  it('takes a sha256 in either case, and keys the revision as RegisterApplicationRevision does', async () => {
    const { application, functionName } = await setup('upper-sha');
    const content = appSpec(functionName);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const revision = {
      revisionType: 'AppSpecContent' as const,
      appSpecContent: { content, sha256: sha256.toUpperCase() },
    };
    await h.codeDeploy.send(
      new RegisterApplicationRevisionCommand({ applicationName: application, revision }),
    );
    await settle(await deploy(application, revision));
    const { revisions } = await h.codeDeploy.send(
      new ListApplicationRevisionsCommand({ applicationName: application }),
    );
    // One revision, not two: both calls keyed it by the lowercase sha256 computed from the content.
    expect(revisions).toHaveLength(1);
    expect(revisions?.[0]).toMatchObject({ revisionType: 'AppSpecContent', appSpecContent: { sha256 } });
  });
});

describe('a hook that never reports', () => {
  let fast: Harness;
  beforeAll(async () => {
    fast = await startHarness({ minuteMs: 20 });
  });
  afterAll(async () => {
    await fast.close();
  });

  it('fails its event after 60 minutes of the deployment clock (TIMEOUT)', async () => {
    const { application, functionName } = await setup('silent', {}, { 'silent-before': 'silent' }, fast);
    const id = await deploy(
      application,
      inline(appSpec(functionName, { BeforeAllowTraffic: 'silent-before' })),
      fast,
    );
    const info = await settle(id, fast);
    expect(info.errorInformation).toEqual({
      code: 'TIMEOUT',
      message:
        'The deployment timed out while waiting for a status callback. CodeDeploy expects a status callback within one hour after a deployment hook is invoked.',
    });
    const { deploymentTargets } = await fast.codeDeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [`${functionName}:live`] }),
    );
    expect(deploymentTargets?.[0]?.lambdaTarget?.lifecycleEvents?.[0]).toMatchObject({
      lifecycleEventName: 'BeforeAllowTraffic',
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptTimedOut', scriptName: 'silent-before' },
    });
  });
});

describe('a server closed mid-canary, restarted on its state dir', () => {
  it('fails the deployment as after a crash and rolls the alias back to the original version', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'lambda-close-'));
    // Long minutes: the canary interval (5 minutes) must outlast the poll that sees its first step.
    const options = { stateDir, minuteMs: 1000 };
    const first = await startHarness(options);
    let firstClosed = false;
    let second: Harness | undefined;
    try {
      const { application, functionName } = await setup(
        'closed',
        {
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        },
        {},
        first,
      );
      const id = await deploy(application, inline(appSpec(functionName)), first);
      let routed: Record<string, number> | undefined;
      for (let i = 0; i < 500 && routed === undefined; i++) {
        const alias = await first.lambda.send(
          new GetAliasCommand({ FunctionName: functionName, Name: 'live' }),
        );
        routed = alias.RoutingConfig?.AdditionalVersionWeights;
        if (routed === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(routed).toEqual({ '2': 0.1 });
      await first.close();
      firstClosed = true;

      second = await startHarness(options);
      const info = await settle(id, second);
      expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'INTERNAL_ERROR' } });
      const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
      expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
      expect(await settle(rollbackId!, second)).toMatchObject({
        status: 'Succeeded',
        creator: 'codeDeployRollback',
      });
      const { deploymentTargets } = await second.codeDeploy.send(
        new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [`${functionName}:live`] }),
      );
      expect(
        deploymentTargets?.[0]?.lambdaTarget?.lifecycleEvents?.map(
          (e) => `${e.lifecycleEventName}:${e.status}`,
        ),
      ).toEqual(['BeforeAllowTraffic:Succeeded', 'AllowTraffic:Failed', 'AfterAllowTraffic:Skipped']);
      const alias = await second.lambda.send(
        new GetAliasCommand({ FunctionName: functionName, Name: 'live' }),
      );
      expect(alias.FunctionVersion).toBe('1');
      expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    } finally {
      if (!firstClosed) await first.close();
      await second?.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
