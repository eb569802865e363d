import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetDeploymentTargetsCommand,
  ContinueDeploymentCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupInput,
  type DeploymentInfo,
  type ECSTarget,
  GetDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ROLE_ARN, rejectionOf, startHarness } from './helpers.js';

/** A hook function that reports HOOK_STATUS through the SDK, as a user's validation function does. */
const HOOK_MODULE = `
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '${import.meta.resolve('@aws-sdk/client-codedeploy')}';
export async function handler(event) {
  console.log('testing the replacement task set through the test listener');
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: process.env.HOOK_STATUS,
  }));
}
`;

const MINUTE_MS = 100;
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef';

let h: Harness;
let dir: string;
let hookFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-deployments-'));
  hookFile = join(dir, 'hook.mjs');
  await writeFile(hookFile, HOOK_MODULE);
  h = await startHarness({ minuteMs: MINUTE_MS });
});

afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

interface Setup {
  application: string;
  cluster: string;
  originalTaskSet: string;
  /** The task definition the deployment moves the service to (registered through the ECS API). */
  taskDefinitionArn: string;
}

/**
 * An ECS service `web` (2 tasks, CODE_DEPLOY controller, behind target group NAME-blue) in cluster
 * NAME, a second task definition revision, and a blue/green deployment group with a test listener.
 */
async function setup(name: string, group: Partial<CreateDeploymentGroupInput> = {}): Promise<Setup> {
  const container = (image: string) => ({
    name: 'web',
    image,
    portMappings: [{ containerPort: 8080 }],
  });
  const seeded = h.server.compute.putService(name, {
    name: 'web',
    taskDefinition: { family: `${name}-web`, containerDefinitions: [container('shop/web:1')] },
    desiredCount: 2,
    targetGroups: [`${name}-blue`, `${name}-green`],
  });
  h.server.compute.seed({
    functions: ['Succeeded', 'Failed'].map((status) => ({
      name: `${name}-smoke-${status.toLowerCase()}`,
      runner: { module: hookFile, handler: 'handler' },
      // Stated rather than left to the seed's default: a loaded machine starts node and the SDK slowly.
      timeout: 60,
      environment: { HOOK_STATUS: status },
    })),
  });
  const registered = await h.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-web`,
      containerDefinitions: [container('shop/web:2')],
    }),
  );
  const application = `${name}-app`;
  await h.codeDeploy.send(
    new CreateApplicationCommand({ applicationName: application, computePlatform: 'ECS' }),
  );
  await h.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: 'prod',
      serviceRoleArn: ROLE_ARN,
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
      ...group,
    }),
  );
  return {
    application,
    cluster: name,
    originalTaskSet: seeded.taskSetId ?? '',
    taskDefinitionArn: registered.taskDefinition?.taskDefinitionArn ?? '',
  };
}

function appSpec(taskDefinitionArn: string, hooks: Record<string, string> = {}): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
          },
        },
      },
    ],
    Hooks: Object.entries(hooks).map(([event, fn]) => ({ [event]: fn })),
  });
}

async function deploy(setup: Setup, hooks: Record<string, string> = {}): Promise<string> {
  const { deploymentId } = await h.codeDeploy.send(
    new CreateDeploymentCommand({
      applicationName: setup.application,
      deploymentGroupName: 'prod',
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: appSpec(setup.taskDefinitionArn, hooks) },
      },
    }),
  );
  return deploymentId!;
}

async function deployment(deploymentId: string): Promise<DeploymentInfo> {
  const { deploymentInfo } = await h.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  return deploymentInfo!;
}

async function target(deploymentId: string, cluster: string): Promise<ECSTarget> {
  const { deploymentTargets } = await h.codeDeploy.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: [`${cluster}:web`] }),
  );
  return deploymentTargets?.[0]?.ecsTarget ?? {};
}

/** Polls GetDeployment (every 10 ms) until the deployment satisfies `done`. */
async function until(
  deploymentId: string,
  done: (info: DeploymentInfo) => boolean | Promise<boolean>,
): Promise<DeploymentInfo> {
  for (let i = 0; i < 2000; i++) {
    const info = await deployment(deploymentId);
    if (await done(info)) return info;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`deployment ${deploymentId} never got there`);
}

const ended = (info: DeploymentInfo) => ['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '');

async function taskSets(cluster: string) {
  const { services } = await h.ecs.send(new DescribeServicesCommand({ cluster, services: ['web'] }));
  return {
    taskDefinition: services?.[0]?.taskDefinition,
    sets: (services?.[0]?.taskSets ?? []).map((set) => ({
      id: set.id,
      status: set.status,
      taskDefinition: set.taskDefinition,
    })),
  };
}

const WAITS = {
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 60 },
    terminateBlueInstancesOnDeploymentSuccess: {
      action: 'TERMINATE' as const,
      terminationWaitTimeInMinutes: 60,
    },
  },
};

describe('ECS blue/green deployments through the real SDK', () => {
  it('waits Ready after test traffic, shifts on READY_WAIT, waits to terminate, then makes green primary', async () => {
    const s = await setup('happy', {
      ...WAITS,
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    });
    const id = await deploy(s, { AfterAllowTestTraffic: 'happy-smoke-succeeded' });
    const ready = await until(id, (info) => info.status === 'Ready' || ended(info));
    expect(ready).toMatchObject({
      status: 'Ready',
      computePlatform: 'ECS',
      deploymentOverview: { Ready: 1, InProgress: 0 },
    });
    const waiting = await target(id, s.cluster);
    expect(waiting.status).toBe('Ready');
    expect(waiting.lifecycleEvents?.map((e) => `${e.lifecycleEventName}:${e.status}`)).toEqual([
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Succeeded',
      'AllowTestTraffic:Succeeded',
      'AfterAllowTestTraffic:Succeeded',
      'BeforeAllowTraffic:Pending',
      'AllowTraffic:Pending',
      'AfterAllowTraffic:Pending',
    ]);
    const green = waiting.taskSetsInfo?.find((set) => set.taskSetLabel === 'Green');
    expect(waiting.taskSetsInfo).toEqual([
      {
        identifer: s.originalTaskSet,
        desiredCount: 2,
        pendingCount: 0,
        runningCount: 2,
        status: 'PRIMARY',
        trafficWeight: 100,
        targetGroup: { name: 'happy-blue' },
        taskSetLabel: 'Blue',
      },
      {
        identifer: green?.identifer,
        desiredCount: 2,
        pendingCount: 0,
        runningCount: 2,
        status: 'ACTIVE',
        trafficWeight: 0,
        targetGroup: { name: 'happy-green' },
        taskSetLabel: 'Green',
      },
    ]);
    expect(
      (
        await rejectionOf(
          h.codeDeploy.send(
            new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }),
          ),
        )
      ).name,
    ).toBe('DeploymentIsNotInReadyStateException');

    await h.codeDeploy.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }),
    );
    const greenWeights: number[] = [];
    const terminating = await until(id, async (info) => {
      const weight = (await target(id, s.cluster)).taskSetsInfo?.find(
        (set) => set.taskSetLabel === 'Green',
      )?.trafficWeight;
      if (weight !== undefined && weight > 0 && greenWeights.at(-1) !== weight) greenWeights.push(weight);
      return info.instanceTerminationWaitTimeStarted === true || ended(info);
    });
    expect(terminating).toMatchObject({ status: 'InProgress', instanceTerminationWaitTimeStarted: true });
    expect(greenWeights).toEqual([10, 100]);
    expect((await taskSets(s.cluster)).sets).toEqual([
      { id: s.originalTaskSet, status: 'ACTIVE', taskDefinition: expect.stringMatching(/happy-web:1$/) },
      { id: green?.identifer, status: 'PRIMARY', taskDefinition: s.taskDefinitionArn },
    ]);

    await h.codeDeploy.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }),
    );
    expect(await until(id, ended)).toMatchObject({
      status: 'Succeeded',
      deploymentOverview: { Succeeded: 1 },
    });
    expect(await taskSets(s.cluster)).toEqual({
      taskDefinition: s.taskDefinitionArn,
      sets: [{ id: green?.identifer, status: 'PRIMARY', taskDefinition: s.taskDefinitionArn }],
    });
  });

  it('stops with TIMEOUT when nobody continues within the ready wait time, production traffic untouched', async () => {
    const s = await setup('late', {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 3 },
      },
    });
    const id = await deploy(s);
    expect(await until(id, ended)).toMatchObject({
      status: 'Stopped',
      errorInformation: {
        code: 'TIMEOUT',
        message:
          'The deployment timed out while waiting for a notification to continue. This time out period is 3 minutes.',
      },
      deploymentOverview: { Failed: 1, Ready: 0 },
    });
    const blue = (await target(id, s.cluster)).taskSetsInfo?.find((set) => set.taskSetLabel === 'Blue');
    expect(blue?.trafficWeight).toBe(100);
    expect((await taskSets(s.cluster)).sets.find((set) => set.status === 'PRIMARY')?.id).toBe(
      s.originalTaskSet,
    );
  });

  it('StopDeployment with rollback while Ready: Stopped, and a rollback deletes the replacement task set', async () => {
    const s = await setup('stopped', WAITS);
    const id = await deploy(s);
    await until(id, (info) => info.status === 'Ready');
    const stop = await h.codeDeploy.send(
      new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }),
    );
    expect(stop.status).toBe('Succeeded');
    const stopped = await deployment(id);
    expect(stopped).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    const rollbackId = stopped.rollbackInfo?.rollbackDeploymentId ?? '';
    expect(await until(rollbackId, ended)).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    expect((await taskSets(s.cluster)).sets).toEqual([
      { id: s.originalTaskSet, status: 'PRIMARY', taskDefinition: expect.stringMatching(/stopped-web:1$/) },
    ]);
    expect(
      (await rejectionOf(h.codeDeploy.send(new ContinueDeploymentCommand({ deploymentId: id })))).name,
    ).toBe('DeploymentAlreadyCompletedException');
  });

  it('rolls back when the AfterAllowTestTraffic hook fails, before production traffic moves', async () => {
    const s = await setup('smoke-fails', {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const id = await deploy(s, { AfterAllowTestTraffic: 'smoke-fails-smoke-failed' });
    const failed = await until(id, ended);
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    const events = (await target(id, s.cluster)).lifecycleEvents ?? [];
    expect(events.find((e) => e.lifecycleEventName === 'AfterAllowTestTraffic')).toMatchObject({
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'smoke-fails-smoke-failed' },
    });
    expect(await until(failed.rollbackInfo?.rollbackDeploymentId ?? '', ended)).toMatchObject({
      status: 'Succeeded',
    });
    expect((await taskSets(s.cluster)).sets.map((set) => `${set.id}:${set.status}`)).toEqual([
      `${s.originalTaskSet}:PRIMARY`,
    ]);
  });

  it('fails Install with ECS_UPDATE_ERROR when the AppSpec names a container the task definition lacks', async () => {
    const s = await setup('wrong-container');
    const { deploymentId } = await h.codeDeploy.send(
      new CreateDeploymentCommand({
        applicationName: s.application,
        deploymentGroupName: 'prod',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: {
            content: appSpec(s.taskDefinitionArn).replace('"ContainerName":"web"', '"ContainerName":"api"'),
          },
        },
      }),
    );
    const failed = await until(deploymentId ?? '', ended);
    expect(failed.status).toBe('Failed');
    expect(failed.errorInformation?.code).toBe('ECS_UPDATE_ERROR');
    expect(failed.errorInformation?.message).toContain(
      'The container api does not exist in the task definition.',
    );
    // Production never moved: only the original task set is left.
    expect((await taskSets(s.cluster)).sets.map((set) => `${set.id}:${set.status}`)).toEqual([
      `${s.originalTaskSet}:PRIMARY`,
    ]);
  });

  it('stops on an alarm during the canary and rolls production traffic back (DEPLOYMENT_STOP_ON_ALARM)', async () => {
    const s = await setup('alarmed', {
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
      alarmConfiguration: { enabled: true, alarms: [{ name: 'alarmed-5xx' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
    });
    h.server.setAlarm('alarmed-5xx', 'OK');
    const id = await deploy(s);
    await until(id, async () => {
      const green = (await target(id, s.cluster)).taskSetsInfo?.find((set) => set.taskSetLabel === 'Green');
      return green?.trafficWeight === 10;
    });
    h.server.setAlarm('alarmed-5xx', 'ALARM');
    const stopped = await until(id, ended);
    expect(stopped).toMatchObject({
      status: 'Stopped',
      errorInformation: {
        code: 'ALARM_ACTIVE',
        message: expect.stringContaining('Activated alarms: alarmed-5xx'),
      },
    });
    expect(await until(stopped.rollbackInfo?.rollbackDeploymentId ?? '', ended)).toMatchObject({
      status: 'Succeeded',
    });
    expect((await taskSets(s.cluster)).sets.map((set) => `${set.id}:${set.status}`)).toEqual([
      `${s.originalTaskSet}:PRIMARY`,
    ]);
  });

  it('refuses ECS deployment groups CodeDeploy refuses, with its messages', async () => {
    await h.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'groups-app', computePlatform: 'ECS' }),
    );
    const create = (input: Partial<CreateDeploymentGroupInput>) =>
      rejectionOf(
        h.codeDeploy.send(
          new CreateDeploymentGroupCommand({
            applicationName: 'groups-app',
            deploymentGroupName: 'g',
            serviceRoleArn: ROLE_ARN,
            ecsServices: [{ clusterName: 'c', serviceName: 's' }],
            ...input,
          }),
        ),
      );
    expect((await create({ ecsServices: [] })).name).toBe('InvalidECSServiceException');
    expect(
      (
        await create({
          ecsServices: [
            { clusterName: 'c', serviceName: 'a' },
            { clusterName: 'c', serviceName: 'b' },
          ],
        })
      ).name,
    ).toBe('ECSServiceMappingLimitExceededException');
    const ready = await create({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 10 },
      },
    });
    expect(ready.name).toBe('InvalidBlueGreenDeploymentConfigurationException');
    expect(ready.message).toBe(
      "Deployment ready action cannot be set to 'CONTINUE_DEPLOYMENT' when timeout is specified",
    );
    // Without a wait time, STOP_DEPLOYMENT would stop every deployment the moment it is Ready.
    for (const waitTimeInMinutes of [undefined, 0]) {
      const manual = await create({
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes },
        },
      });
      expect(manual.name).toBe('InvalidBlueGreenDeploymentConfigurationException');
      expect(manual.message).toMatch(/STOP_DEPLOYMENT needs waitTimeInMinutes \(1 to 2880\)/);
    }
    expect(
      (
        await create({
          loadBalancerInfo: {
            targetGroupPairInfoList: [
              { targetGroups: [{ name: 'one' }], prodTrafficRoute: { listenerArns: [LISTENER] } },
            ],
          },
        })
      ).name,
    ).toBe('InvalidTargetGroupPairException');
    expect((await create({ deploymentStyle: { deploymentType: 'IN_PLACE' } })).name).toBe(
      'InvalidDeploymentStyleException',
    );
  });
});
