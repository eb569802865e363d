import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CreateDeploymentInput,
  DeploymentGroupInfo,
  DeploymentInfo,
  ECSTarget,
  LambdaTarget,
} from '@aws-sdk/client-codedeploy';
import type { TaskSet } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../agent/types.js';
import type { AliasView, ComputeRuntime, NewTaskSet, ServiceView } from '../compute/runtime.js';
import { deploymentOperations as ops } from '../deployments/index.js';
import { Store } from '../state/index.js';
import type { DeploymentEngineHandle, OperationContext } from '../wire/operation.js';
import { createDeploymentEngine } from './engine.js';
import { MESSAGES, NOTHING_TO_ROLL_BACK } from './messages.js';

type HookBehaviour = 'Succeeded' | 'Failed' | 'silent' | 'crash';

/**
 * An in-memory Lambda, ECS and CloudWatch for the engine alone: a function `orders` with versions
 * 1-3 and alias `live` on 1, a service `web` in cluster `main` with one PRIMARY task set, hook
 * functions that report through the real operation as scripted.
 */
class FakeCompute implements ComputeRuntime {
  alias: AliasView = { version: '1', weights: {} };
  readonly routes: AliasView[] = [];
  readonly invocations: { functionName: string; payload: { LifecycleEventHookExecutionId: string } }[] = [];
  readonly hookBehaviour = new Map<string, HookBehaviour>();
  readonly alarms = new Map<string, 'OK' | 'ALARM'>();
  readonly taskSets: TaskSet[] = [
    { id: 'ecs-svc/blue', status: 'PRIMARY', taskDefinition: taskDefinitionArn(1), computedDesiredCount: 2 },
  ];
  readonly weights: Record<string, number> = { 'ecs-svc/blue': 100 };
  report: (deploymentId: string, id: string, status: string) => unknown = () => undefined;
  /** The answer of a service that does not use the CODE_DEPLOY deployment controller. */
  refuseTaskSets = false;

  alarmState = (name: string) => this.alarms.get(name) ?? 'INSUFFICIENT_DATA';

  lambda = {
    functionExists: (name: string) => name === 'orders' || this.hookBehaviour.has(name),
    alias: (name: string, alias: string) => (name === 'orders' && alias === 'live' ? this.alias : undefined),
    versionExists: (name: string, version: string) => name === 'orders' && ['1', '2', '3'].includes(version),
    routeAlias: (_name: string, _alias: string, route: AliasView) => {
      this.alias = route;
      this.routes.push(route);
    },
    invoke: async (functionName: string, payload: unknown) => {
      const event = payload as { DeploymentId: string; LifecycleEventHookExecutionId: string };
      this.invocations.push({ functionName, payload: event });
      const behaviour = this.hookBehaviour.get(functionName) ?? 'Succeeded';
      if (behaviour === 'crash')
        return { ok: false, error: 'Error: boom', output: 'starting checks\nboom\n' };
      if (behaviour !== 'silent') {
        await new Promise((resolve) => setTimeout(resolve, 2));
        this.report(event.DeploymentId, event.LifecycleEventHookExecutionId, behaviour);
      }
      return { ok: true, output: 'checked\n' };
    },
  };

  ecs = {
    service: (cluster: string, service: string): ServiceView | undefined =>
      cluster === 'main' && service === 'web'
        ? {
            clusterName: 'main',
            serviceName: 'web',
            taskDefinition: this.taskSets.find((set) => set.status === 'PRIMARY')?.taskDefinition ?? '',
            desiredCount: 2,
            taskSets: structuredClone(this.taskSets),
            trafficWeights: { ...this.weights },
          }
        : undefined,
    taskDefinitionArn: (taskDefinition: string) =>
      /task-definition\/web:[12]$/.test(taskDefinition) ? taskDefinition : undefined,
    createTaskSet: (_cluster: string, _service: string, input: NewTaskSet): TaskSet => {
      if (this.refuseTaskSets)
        throw new Error('Service web does not use the CODE_DEPLOY deployment controller.');
      const taskSet: TaskSet = {
        id: 'ecs-svc/green',
        status: 'ACTIVE',
        taskDefinition: input.taskDefinition,
        computedDesiredCount: 0,
        ...(input.loadBalancers ? { loadBalancers: input.loadBalancers } : {}),
      };
      this.taskSets.push(taskSet);
      this.weights[taskSet.id!] = 0;
      return taskSet;
    },
    scaleTaskSet: (_cluster: string, _service: string, id: string, scale: number) => {
      const taskSet = this.taskSets.find((set) => set.id === id)!;
      taskSet.computedDesiredCount = Math.ceil((2 * scale) / 100);
    },
    setTaskSetTraffic: (_cluster: string, _service: string, id: string, weight: number) => {
      this.weights[id] = weight;
    },
    makePrimary: (_cluster: string, _service: string, id: string) => {
      for (const set of this.taskSets) set.status = set.id === id ? 'PRIMARY' : 'ACTIVE';
    },
    deleteTaskSet: (_cluster: string, _service: string, id: string) => {
      this.taskSets.splice(
        this.taskSets.findIndex((set) => set.id === id),
        1,
      );
      delete this.weights[id];
    },
  };
}

function taskDefinitionArn(revision: number): string {
  return `arn:aws:ecs:us-east-1:111122223333:task-definition/web:${revision}`;
}

const noAgent: Agent = {
  run: async () => {
    throw new Error('no EC2/on-premises deployments here');
  },
  close: async () => {},
} as unknown as Agent;

const MINUTE_MS = 20;
const dirs: string[] = [];
const engines: DeploymentEngineHandle[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Bed {
  store: Store;
  compute: FakeCompute;
  engine: DeploymentEngineHandle;
  context: OperationContext;
  dir: string;
}

function bed(platform: 'Lambda' | 'ECS', group: Partial<DeploymentGroupInfo> = {}, dir?: string): Bed {
  const stateDir = dir ?? mkdtempSync(join(tmpdir(), 'traffic-'));
  if (!dir) dirs.push(stateDir);
  const store = new Store(stateDir);
  if (!dir) {
    store.update((state) => {
      state.applications.app = { applicationName: 'app', computePlatform: platform };
      state.deploymentGroups['app/group'] = {
        applicationName: 'app',
        deploymentGroupName: 'group',
        deploymentGroupId: 'group-id',
        computePlatform: platform,
        deploymentConfigName: `CodeDeployDefault.${platform}AllAtOnce`,
        ...(platform === 'ECS'
          ? {
              ecsServices: [{ clusterName: 'main', serviceName: 'web' }],
              loadBalancerInfo: {
                targetGroupPairInfoList: [
                  {
                    targetGroups: [{ name: 'tg-blue' }, { name: 'tg-green' }],
                    prodTrafficRoute: { listenerArns: ['arn:listener/prod'] },
                  },
                ],
              },
            }
          : {}),
        ...group,
      };
    });
  }
  const compute = new FakeCompute();
  const engine = createDeploymentEngine({
    store,
    agent: noAgent,
    instancesDir: join(stateDir, 'instances'),
    now: () => new Date(),
    minuteMs: MINUTE_MS,
    compute,
  });
  engines.push(engine);
  const context: OperationContext = {
    store,
    accountId: '111122223333',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:0',
    now: () => new Date(),
    engine,
  };
  compute.report = (deploymentId, id, status) =>
    ops.PutLifecycleEventHookExecutionStatus!(
      { deploymentId, lifecycleEventHookExecutionId: id, status },
      context,
    );
  return { store, compute, engine, context, dir: stateDir };
}

function lambdaAppSpec(hooks: Record<string, string> = {}, target = '2'): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        orders: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: 'orders', Alias: 'live', CurrentVersion: '1', TargetVersion: target },
        },
      },
    ],
    Hooks: Object.entries(hooks).map(([event, fn]) => ({ [event]: fn })),
  });
}

function ecsAppSpec(hooks: Record<string, string> = {}, revision = 2): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn(revision),
            LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
          },
        },
      },
    ],
    Hooks: Object.entries(hooks).map(([event, fn]) => ({ [event]: fn })),
  });
}

async function deploy(b: Bed, content: string, input: Partial<CreateDeploymentInput> = {}): Promise<string> {
  const output = (await ops.CreateDeployment!(
    {
      applicationName: 'app',
      deploymentGroupName: 'group',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      ...input,
    },
    b.context,
  )) as { deploymentId: string };
  return output.deploymentId;
}

const info = (b: Bed, id: string): DeploymentInfo => b.store.state.deployments[id]!.info;
const lambdaTarget = (b: Bed, id: string) =>
  Object.values(b.store.state.deployments[id]!.targets)[0] as LambdaTarget;
const ecsTarget = (b: Bed, id: string) =>
  Object.values(b.store.state.deployments[id]!.targets)[0] as ECSTarget;
const events = (target: LambdaTarget | ECSTarget) =>
  target.lifecycleEvents?.map((event) => `${event.lifecycleEventName}:${event.status}`);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
}

async function codeOf(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
}

describe('Lambda deployments', () => {
  it('shifts a canary step by step and ends with the alias on the target version', async () => {
    const b = bed('Lambda', { deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' });
    const id = await deploy(b, lambdaAppSpec());
    const weights: number[] = [];
    await until(() => {
      const weight = lambdaTarget(b, id).lambdaFunctionInfo?.targetVersionWeight;
      if (weight !== undefined && weights.at(-1) !== weight) weights.push(weight);
      return info(b, id).status === 'Succeeded';
    });
    expect(weights).toEqual([0, 10, 100]);
    expect(b.compute.routes).toEqual([
      { version: '1', weights: { '2': 0.1 } },
      { version: '2', weights: {} },
    ]);
    expect(events(lambdaTarget(b, id))).toEqual([
      'BeforeAllowTraffic:Succeeded',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Succeeded',
    ]);
    expect(info(b, id)).toMatchObject({
      computePlatform: 'Lambda',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      deploymentOverview: { Succeeded: 1, Pending: 0, InProgress: 0, Failed: 0, Skipped: 0, Ready: 0 },
    });
    expect(info(b, id).fileExistsBehavior).toBeUndefined();
    expect(lambdaTarget(b, id)).toMatchObject({
      targetId: 'orders:live',
      targetArn: 'arn:aws:lambda:us-east-1:111122223333:function:orders:live',
      lambdaFunctionInfo: {
        functionName: 'orders',
        functionAlias: 'live',
        currentVersion: '1',
        targetVersion: '2',
      },
    });
  });

  it('routes the alias in linear steps of 10 % before moving it to the target version', async () => {
    const b = bed('Lambda', { deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' });
    const id = await deploy(b, lambdaAppSpec());
    await b.engine.idle();
    expect(info(b, id).status).toBe('Succeeded');
    expect(b.compute.routes).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((tenth) => ({ version: '1', weights: { '2': tenth / 10 } })),
      { version: '2', weights: {} },
    ]);
  });

  it('invokes hook functions with the deployment id and an execution id and waits for their report', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'Succeeded').set('after', 'Succeeded');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before', AfterAllowTraffic: 'after' }));
    await b.engine.idle();
    expect(info(b, id).status).toBe('Succeeded');
    expect(b.compute.invocations.map((call) => call.functionName)).toEqual(['before', 'after']);
    expect(b.compute.invocations[0]!.payload).toMatchObject({ DeploymentId: id });
    const executionId = b.compute.invocations[0]!.payload.LifecycleEventHookExecutionId;
    expect(
      await codeOf(() =>
        ops.PutLifecycleEventHookExecutionStatus!(
          { deploymentId: id, lifecycleEventHookExecutionId: executionId, status: 'Succeeded' },
          b.context,
        ),
      ),
    ).toBe('LifecycleEventAlreadyCompletedException');
  });

  it('fails on a failed AfterAllowTraffic hook and rolls the alias back in a new deployment', async () => {
    const b = bed('Lambda', { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } });
    b.compute.hookBehaviour.set('after', 'Failed');
    const id = await deploy(b, lambdaAppSpec({ AfterAllowTraffic: 'after' }));
    await until(() => info(b, id).status === 'Failed');
    await b.engine.idle();
    expect(info(b, id).errorInformation).toEqual({
      code: 'HOOK_EXECUTION_FAILURE',
      message: MESSAGES.HOOK_FAILED,
    });
    const after = lambdaTarget(b, id).lifecycleEvents![2]!;
    expect(after).toMatchObject({
      lifecycleEventName: 'AfterAllowTraffic',
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'after', logTail: 'checked\n' },
    });
    const rollbackId = info(b, id).rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect(info(b, rollbackId!)).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    expect(lambdaTarget(b, rollbackId!).lambdaFunctionInfo).toMatchObject({
      currentVersion: '2',
      targetVersion: '1',
      targetVersionWeight: 100,
    });
    expect(b.compute.alias).toEqual({ version: '1', weights: {} });
  });

  it('fails the event at once when the hook function cannot run, with its output as the log tail', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'crash');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before' }));
    await b.engine.idle();
    expect(info(b, id).status).toBe('Failed');
    expect(events(lambdaTarget(b, id))).toEqual([
      'BeforeAllowTraffic:Failed',
      'AllowTraffic:Skipped',
      'AfterAllowTraffic:Skipped',
    ]);
    expect(lambdaTarget(b, id).lifecycleEvents![0]!.diagnostics).toMatchObject({
      errorCode: 'ScriptFailed',
      message: expect.stringContaining('Error: boom'),
      logTail: 'starting checks\nboom\n',
    });
    expect(b.compute.routes).toEqual([]);
  });

  it('fails the event when the hook never reports within 60 minutes', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'silent');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before' }));
    await b.engine.idle();
    expect(info(b, id).errorInformation).toEqual({ code: 'TIMEOUT', message: MESSAGES.HOOK_TIMED_OUT });
    expect(lambdaTarget(b, id).lifecycleEvents![0]!.diagnostics?.errorCode).toBe('ScriptTimedOut');
  });

  it('fails with INVALID_LAMBDA_CONFIGURATION when a version is missing, before touching the alias', async () => {
    const b = bed('Lambda');
    const id = await deploy(b, lambdaAppSpec({}, '7'));
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'INVALID_LAMBDA_CONFIGURATION' },
      deploymentOverview: { Failed: 1 },
    });
    expect(b.compute.routes).toEqual([]);
  });

  it('creates no rollback when a Created deployment is stopped with autoRollbackEnabled: nothing moved yet', async () => {
    const b = bed('Lambda', {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_REQUEST'] },
    });
    const id = await deploy(b, lambdaAppSpec());
    // CreateDeployment answered; the engine starts the deployment on the next turn of the event loop.
    expect(info(b, id).status).toBe('Created');
    await ops.StopDeployment!({ deploymentId: id, autoRollbackEnabled: true }, b.context);
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Stopped',
      errorInformation: { code: 'MANUAL_STOP' },
      rollbackInfo: { rollbackMessage: NOTHING_TO_ROLL_BACK },
    });
    expect(Object.keys(b.store.state.deployments)).toEqual([id]);
    expect(b.compute.routes).toEqual([]);
  });

  it('answers PutLifecycleEventHookExecutionStatus errors in the service order', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'silent');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before' }));
    await until(() => b.compute.invocations.length === 1);
    const executionId = b.compute.invocations[0]!.payload.LifecycleEventHookExecutionId;
    const put = (input: Record<string, unknown>) => () =>
      ops.PutLifecycleEventHookExecutionStatus!(
        { deploymentId: id, lifecycleEventHookExecutionId: executionId, status: 'Succeeded', ...input },
        b.context,
      );
    expect(await codeOf(put({ deploymentId: undefined }))).toBe('DeploymentIdRequiredException');
    expect(await codeOf(put({ deploymentId: 'd-NOPE' }))).toBe('InvalidDeploymentIdException');
    expect(await codeOf(put({ deploymentId: 'd-AAAAAAAAA' }))).toBe('DeploymentDoesNotExistException');
    expect(await codeOf(put({ lifecycleEventHookExecutionId: 'made-up' }))).toBe(
      'InvalidLifecycleEventHookExecutionIdException',
    );
    expect(await codeOf(put({ status: 'Skipped' }))).toBe(
      'InvalidLifecycleEventHookExecutionStatusException',
    );
    expect(await put({})()).toEqual({ lifecycleEventHookExecutionId: executionId });
    await b.engine.idle();
    expect(info(b, id).status).toBe('Succeeded');
  });

  it('stops on an alarm before the next traffic step and rolls back when DEPLOYMENT_STOP_ON_ALARM is set', async () => {
    const b = bed('Lambda', {
      deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
    });
    const id = await deploy(b, lambdaAppSpec());
    await until(() => (lambdaTarget(b, id).lambdaFunctionInfo?.targetVersionWeight ?? 0) >= 20);
    b.compute.alarms.set('errors', 'ALARM');
    await until(() => info(b, id).status === 'Stopped');
    await b.engine.idle();
    expect(info(b, id).errorInformation).toMatchObject({ code: 'ALARM_ACTIVE' });
    expect(info(b, id).errorInformation?.message).toMatch(/Activated alarms: errors$/);
    expect(info(b, info(b, id).rollbackInfo!.rollbackDeploymentId!).status).toBe('Succeeded');
    expect(b.compute.alias).toEqual({ version: '1', weights: {} });
  });

  it('is failed after a restart (INTERNAL_ERROR) without re-running, its waiting hook closed', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'silent');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before' }));
    await until(() => b.compute.invocations.length === 1);
    // A crash: the state file stays as it was; nothing is closed.
    const restarted = bed('Lambda', {}, b.dir);
    await restarted.engine.idle();
    expect(restarted.store.state.deployments[id]!.info).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'INTERNAL_ERROR', message: MESSAGES.INTERRUPTED },
    });
    const executionId = b.compute.invocations[0]!.payload.LifecycleEventHookExecutionId;
    expect(
      await codeOf(() =>
        ops.PutLifecycleEventHookExecutionStatus!(
          { deploymentId: id, lifecycleEventHookExecutionId: executionId, status: 'Succeeded' },
          restarted.context,
        ),
      ),
    ).toBe('LifecycleEventAlreadyCompletedException');
  });
});

describe('ECS deployments', () => {
  const waits = {
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 30 },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE' as const,
        terminationWaitTimeInMinutes: 30,
      },
    },
  };

  it('waits Ready, shifts on READY_WAIT, waits to terminate, and ends with green primary and blue gone', async () => {
    const b = bed('ECS', waits);
    b.compute.hookBehaviour.set('smoke', 'Succeeded');
    const id = await deploy(b, ecsAppSpec({ AfterAllowTestTraffic: 'smoke' }));
    await until(() => info(b, id).status === 'Ready');
    expect(ecsTarget(b, id).status).toBe('Ready');
    expect(info(b, id).deploymentOverview).toMatchObject({ Ready: 1 });
    expect(ecsTarget(b, id).taskSetsInfo).toEqual([
      expect.objectContaining({ identifer: 'ecs-svc/blue', taskSetLabel: 'Blue', trafficWeight: 100 }),
      expect.objectContaining({
        identifer: 'ecs-svc/green',
        taskSetLabel: 'Green',
        trafficWeight: 0,
        desiredCount: 2,
        targetGroup: { name: 'tg-green' },
      }),
    ]);
    expect(
      await codeOf(() =>
        ops.ContinueDeployment!({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }, b.context),
      ),
    ).toBe('DeploymentIsNotInReadyStateException');
    ops.ContinueDeployment!({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }, b.context);
    await until(() => info(b, id).instanceTerminationWaitTimeStarted === true);
    expect(info(b, id).status).toBe('InProgress');
    expect(b.compute.weights).toEqual({ 'ecs-svc/blue': 0, 'ecs-svc/green': 100 });
    expect(b.compute.taskSets.find((set) => set.id === 'ecs-svc/green')?.status).toBe('PRIMARY');
    ops.ContinueDeployment!({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }, b.context);
    await b.engine.idle();
    expect(info(b, id).status).toBe('Succeeded');
    expect(events(ecsTarget(b, id))?.every((event) => event.endsWith(':Succeeded'))).toBe(true);
    expect(b.compute.taskSets.map((set) => set.id)).toEqual(['ecs-svc/green']);
    expect(await codeOf(() => ops.ContinueDeployment!({ deploymentId: id }, b.context))).toBe(
      'DeploymentAlreadyCompletedException',
    );
  });

  it('stops with TIMEOUT when nobody continues within the ready wait time', async () => {
    const b = bed('ECS', {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 2 },
      },
    });
    const id = await deploy(b, ecsAppSpec());
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Stopped',
      errorInformation: {
        code: 'TIMEOUT',
        message:
          'The deployment timed out while waiting for a notification to continue. This time out period is 2 minutes.',
      },
    });
    expect(events(ecsTarget(b, id))?.slice(4)).toEqual([
      'AfterAllowTestTraffic:Succeeded',
      'BeforeAllowTraffic:Skipped',
      'AllowTraffic:Skipped',
      'AfterAllowTraffic:Skipped',
    ]);
  });

  it('StopDeployment with rollback while Ready sends traffic back to blue and deletes green', async () => {
    const b = bed('ECS', waits);
    const id = await deploy(b, ecsAppSpec());
    await until(() => info(b, id).status === 'Ready');
    await ops.StopDeployment!({ deploymentId: id, autoRollbackEnabled: true }, b.context);
    expect(info(b, id)).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(ecsTarget(b, id).status).toBe('Failed');
    const rollbackId = info(b, id).rollbackInfo!.rollbackDeploymentId!;
    await b.engine.idle();
    expect(info(b, rollbackId)).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' });
    expect(b.compute.taskSets.map((set) => `${set.id}:${set.status}`)).toEqual(['ecs-svc/blue:PRIMARY']);
    expect(b.compute.weights).toEqual({ 'ecs-svc/blue': 100 });
  });

  it('fails Install with ECS_UPDATE_ERROR and the reason when ECS refuses the replacement task set', async () => {
    const b = bed('ECS');
    b.compute.refuseTaskSets = true;
    const id = await deploy(b, ecsAppSpec());
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: {
        code: 'ECS_UPDATE_ERROR',
        message: 'Service web does not use the CODE_DEPLOY deployment controller.',
      },
    });
    expect(events(ecsTarget(b, id))?.slice(0, 3)).toEqual([
      'BeforeInstall:Succeeded',
      'Install:Failed',
      'AfterInstall:Skipped',
    ]);
    expect(ecsTarget(b, id).lifecycleEvents?.[1]?.diagnostics?.message).toMatch(/CODE_DEPLOY/);
  });

  it('creates no rollback after INVALID_REVISION: no replacement task set was made, the service is as it was', async () => {
    const b = bed('ECS', { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } });
    const id = await deploy(b, ecsAppSpec({}, 7));
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'INVALID_REVISION' },
      rollbackInfo: { rollbackMessage: NOTHING_TO_ROLL_BACK },
    });
    expect(Object.keys(b.store.state.deployments)).toEqual([id]);
    expect(b.compute.taskSets.map((set) => `${set.id}:${set.status}`)).toEqual(['ecs-svc/blue:PRIMARY']);
    expect(b.compute.weights).toEqual({ 'ecs-svc/blue': 100 });
  });

  it('refuses ContinueDeployment for Lambda deployments', async () => {
    const b = bed('Lambda');
    b.compute.hookBehaviour.set('before', 'silent');
    const id = await deploy(b, lambdaAppSpec({ BeforeAllowTraffic: 'before' }));
    expect(await codeOf(() => ops.ContinueDeployment!({ deploymentId: id }, b.context))).toBe(
      'UnsupportedActionForDeploymentTypeException',
    );
  });
});

describe('CreateDeployment for Lambda and ECS', () => {
  it('rejects bad revisions without creating a deployment', async () => {
    const b = bed('Lambda');
    const content = lambdaAppSpec();
    const create = (input: Partial<CreateDeploymentInput>) => () => deploy(b, content, input);
    expect(
      await codeOf(
        create({
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: 'ab'.repeat(32) } },
        }),
      ),
    ).toBe('InvalidRevisionException');
    expect(
      await codeOf(
        create({
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'app.zip', bundleType: 'zip' } },
        }),
      ),
    ).toBe('InvalidRevisionException');
    expect(
      await codeOf(
        create({
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: 'version: 0.0\n' } },
        }),
      ),
    ).toBe('InvalidRevisionException');
    expect(await codeOf(create({ deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' }))).toBe(
      'InvalidDeploymentConfigNameException',
    );
    expect(await codeOf(create({ deploymentConfigName: 'Nope' }))).toBe(
      'DeploymentConfigDoesNotExistException',
    );
    expect(await codeOf(create({ updateOutdatedInstancesOnly: true }))).toBe(
      'InvalidUpdateOutdatedInstancesOnlyValueException',
    );
    expect(b.store.state.deployments).toEqual({});
  });

  it('keeps the AppSpec text out of GetDeployment, as the service does', async () => {
    const b = bed('Lambda');
    const id = await deploy(b, lambdaAppSpec());
    const { deploymentInfo } = ops.GetDeployment!({ deploymentId: id }, b.context) as {
      deploymentInfo: DeploymentInfo;
    };
    expect(deploymentInfo.revision?.appSpecContent).toEqual({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
