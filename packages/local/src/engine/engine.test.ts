import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateDeploymentInput, DeploymentInfo, InstanceTarget } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, LifecycleRequest, LifecycleResult } from '../agent/types.js';
import { deploymentOperations } from '../deployments/index.js';
import { Store } from '../state/index.js';
import type { DeploymentEngineHandle, OperationContext } from '../wire/operation.js';
import { createDeploymentEngine } from './engine.js';
import { MESSAGES } from './messages.js';

type Script = 'fail' | 'hang';

/** A scripted stand-in for the local agent (built in parallel): succeeds unless told otherwise. */
class FakeAgent implements Agent {
  readonly calls: LifecycleRequest[] = [];
  readonly script = new Map<string, Script>();
  running = 0;
  maxRunning = 0;
  aborted: string[] = [];
  /** Extra failure rule, for outcomes that depend on the revision being deployed. */
  failIf: (request: LifecycleRequest) => boolean = () => false;

  on(instance: string, event: string, outcome: Script): this {
    this.script.set(`${instance}:${event}`, outcome);
    return this;
  }

  async run(request: LifecycleRequest): Promise<LifecycleResult> {
    this.calls.push(request);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const outcome = this.failIf(request)
        ? 'fail'
        : this.script.get(`${request.instance.name}:${request.event}`);
      if (outcome === 'hang') {
        await new Promise<void>((resolve) =>
          request.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        this.aborted.push(`${request.instance.name}:${request.event}`);
        return failed('ScriptFailed', 'Script was killed');
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (outcome === 'fail')
        return failed(
          'ScriptFailed',
          'Script at specified location: hook.sh run as user root failed with exit code 1',
        );
      return {
        status: 'Succeeded',
        diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' },
      };
    } finally {
      this.running -= 1;
    }
  }

  eventsOn(instance: string): string[] {
    return this.calls.filter((call) => call.instance.name === instance).map((call) => call.event);
  }
}

function failed(errorCode: 'ScriptFailed', message: string): LifecycleResult {
  return { status: 'Failed', diagnostics: { errorCode, scriptName: 'hook.sh', message, logTail: '' } };
}

const dirs: string[] = [];
const engines: DeploymentEngineHandle[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Bed {
  store: Store;
  agent: FakeAgent;
  engine: DeploymentEngineHandle;
  context: OperationContext;
  dir: string;
}

function bed(
  options: {
    instances?: number;
    config?: string;
    autoRollback?: boolean;
    dir?: string;
    agent?: FakeAgent;
  } = {},
): Bed {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'engine-'));
  if (!options.dir) dirs.push(dir);
  const store = new Store(join(dir, 'state'));
  if (!options.dir) {
    store.update((state) => {
      state.applications.app = { applicationName: 'app', computePlatform: 'Server' };
      state.deploymentGroups['app/group'] = {
        applicationName: 'app',
        deploymentGroupName: 'group',
        deploymentGroupId: 'group-id',
        deploymentConfigName: options.config ?? 'CodeDeployDefault.OneAtATime',
        onPremisesInstanceTagFilters: [{ Key: 'fleet', Value: 'app', Type: 'KEY_AND_VALUE' }],
        ...(options.autoRollback
          ? { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } }
          : {}),
      };
      for (let i = 1; i <= (options.instances ?? 3); i++) {
        state.instances[`i${i}`] = {
          instanceName: `i${i}`,
          instanceArn: `arn:aws:codedeploy:us-east-1:111122223333:instance/i${i}`,
          tags: [{ Key: 'fleet', Value: 'app' }],
        };
      }
    });
  }
  const agent = options.agent ?? new FakeAgent();
  const engine = createDeploymentEngine({
    store,
    agent,
    instancesDir: join(dir, 'instances'),
    now: () => new Date(),
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
  return { store, agent, engine, context, dir };
}

const revision = (key: string) => ({
  revisionType: 'S3' as const,
  s3Location: { bucket: 'bucket', key, bundleType: 'zip' as const },
});

async function deploy(b: Bed, input: Partial<CreateDeploymentInput> = {}): Promise<string> {
  const output = (await deploymentOperations.CreateDeployment!(
    { applicationName: 'app', deploymentGroupName: 'group', revision: revision('v1.zip'), ...input },
    b.context,
  )) as { deploymentId: string };
  return output.deploymentId;
}

function info(b: Bed, id: string): DeploymentInfo {
  return b.store.state.deployments[id]!.info;
}

function target(b: Bed, id: string, name: string): InstanceTarget {
  return b.store.state.deployments[id]!.targets[name]!;
}

const statuses = (t: InstanceTarget) =>
  t.lifecycleEvents?.map((event) => `${event.lifecycleEventName}:${event.status}`);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('deployment engine', () => {
  it('runs a deployment Created -> InProgress -> Succeeded with every event and counters', async () => {
    const b = bed();
    const id = await deploy(b);
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(info(b, id)).toMatchObject({
      status: 'Created',
      creator: 'user',
      deploymentOverview: { Pending: 3, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 },
    });
    expect(statuses(target(b, id, 'i1'))?.every((s) => s.endsWith(':Pending'))).toBe(true);
    const seen = new Set<string>();
    await until(() => {
      seen.add(info(b, id).status ?? '');
      return info(b, id).status === 'Succeeded';
    });
    expect(seen.has('InProgress')).toBe(true);
    const done = info(b, id);
    expect(done.deploymentOverview).toEqual({
      Pending: 0,
      InProgress: 0,
      Succeeded: 3,
      Failed: 0,
      Skipped: 0,
      Ready: 0,
    });
    expect(done.startTime).toBeInstanceOf(Date);
    expect(done.completeTime).toBeInstanceOf(Date);
    expect(target(b, id, 'i2')).toMatchObject({
      targetId: 'i2',
      targetArn: 'arn:aws:codedeploy:us-east-1:111122223333:instance/i2',
      status: 'Succeeded',
    });
    expect(b.agent.eventsOn('i1')).toEqual([
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
    ]);
    expect(b.agent.maxRunning).toBe(1);
    const group = b.store.state.deploymentGroups['app/group']!;
    expect(group.lastSuccessfulDeployment?.deploymentId).toBe(id);
    expect(group.lastAttemptedDeployment).toMatchObject({ deploymentId: id, status: 'Succeeded' });
    expect(group.targetRevision).toEqual(revision('v1.zip'));
    expect(Object.values(b.store.state.revisions)[0]?.info.deploymentGroups).toEqual(['group']);
  });

  it('skips the events after a failed one and fails OneAtATime with instances left (HEALTH_CONSTRAINTS)', async () => {
    const b = bed();
    b.agent.on('i1', 'AfterInstall', 'fail');
    const id = await deploy(b);
    await b.engine.idle();
    expect(statuses(target(b, id, 'i1'))).toEqual([
      'ApplicationStop:Succeeded',
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Failed',
      'ApplicationStart:Skipped',
      'ValidateService:Skipped',
    ]);
    const skipped = target(b, id, 'i1').lifecycleEvents![5]!;
    expect(skipped.startTime).toBeUndefined();
    expect(skipped.endTime).toBeInstanceOf(Date);
    expect(target(b, id, 'i1').lifecycleEvents![4]!.diagnostics?.errorCode).toBe('ScriptFailed');
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS', message: MESSAGES.HEALTH_CONSTRAINTS },
      deploymentOverview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 1, Skipped: 2, Ready: 0 },
    });
    expect(b.store.state.deploymentGroups['app/group']!.lastSuccessfulDeployment).toBeUndefined();
  });

  it('OneAtATime succeeds when only the last instance fails', async () => {
    const b = bed();
    b.agent.on('i3', 'ValidateService', 'fail');
    const id = await deploy(b);
    await b.engine.idle();
    expect(info(b, id).status).toBe('Succeeded');
    expect(info(b, id).deploymentOverview).toMatchObject({ Succeeded: 2, Failed: 1 });
  });

  it('fails up front with HEALTH_CONSTRAINTS_INVALID when the minimum is the whole fleet', async () => {
    const b = bed();
    b.store.update((state) => {
      state.deploymentConfigs.strict = {
        deploymentConfigName: 'strict',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 95 },
      };
    });
    const id = await deploy(b, { deploymentConfigName: 'strict' });
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS_INVALID' },
    });
    expect(info(b, id).deploymentOverview).toMatchObject({ Skipped: 3 });
    expect(b.agent.calls).toHaveLength(0);
  });

  it('AllAtOnce runs every instance concurrently and succeeds if one instance succeeds', async () => {
    const b = bed({ config: 'CodeDeployDefault.AllAtOnce' });
    b.agent.on('i1', 'Install', 'fail').on('i2', 'Install', 'fail');
    const id = await deploy(b);
    await b.engine.idle();
    expect(b.agent.maxRunning).toBe(3);
    expect(info(b, id).status).toBe('Succeeded');
    expect(info(b, id).deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 2 });
  });

  it('custom HOST_COUNT stops scheduling once the minimum can no longer be met', async () => {
    const b = bed({ instances: 6 });
    b.store.update((state) => {
      state.deploymentConfigs.four = {
        deploymentConfigName: 'four',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 4 },
      };
    });
    b.agent.on('i1', 'Install', 'fail').on('i2', 'Install', 'fail');
    const id = await deploy(b, { deploymentConfigName: 'four' });
    await b.engine.idle();
    expect(b.agent.maxRunning).toBe(2);
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS' },
      deploymentOverview: { Failed: 2, Skipped: 4, Succeeded: 0 },
    });
  });

  it('fails with NO_INSTANCES when the group selects no instance', async () => {
    const b = bed({ instances: 0 });
    const id = await deploy(b);
    expect(info(b, id).status).toBe('Created');
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'NO_INSTANCES', message: MESSAGES.NO_INSTANCES },
    });
  });

  it('rejects a second deployment to a busy group with DeploymentLimitExceededException', async () => {
    const b = bed();
    b.agent.on('i1', 'BeforeInstall', 'hang');
    const first = await deploy(b);
    await expect(deploy(b)).rejects.toMatchObject({
      code: 'DeploymentLimitExceededException',
      message: `The Deployment Group 'group' already has an active Deployment '${first}'`,
    });
  });

  it('stops mid-way: running hook aborted, Stopped with MANUAL_STOP, the rest skipped', async () => {
    const b = bed();
    b.agent.on('i1', 'BeforeInstall', 'hang');
    const id = await deploy(b);
    await until(() => target(b, id, 'i1').lifecycleEvents![2]!.status === 'InProgress');
    const output = await deploymentOperations.StopDeployment!({ deploymentId: id }, b.context);
    expect(output).toEqual({ status: 'Succeeded', statusMessage: MESSAGES.STOP_SUCCEEDED });
    expect(b.agent.aborted).toEqual(['i1:BeforeInstall']);
    expect(info(b, id)).toMatchObject({
      status: 'Stopped',
      errorInformation: { code: 'MANUAL_STOP', message: MESSAGES.MANUAL_STOP },
      deploymentOverview: { Failed: 1, Skipped: 2, InProgress: 0, Pending: 0 },
    });
    expect(statuses(target(b, id, 'i1'))?.slice(2)).toEqual([
      'BeforeInstall:Failed',
      'Install:Skipped',
      'AfterInstall:Skipped',
      'ApplicationStart:Skipped',
      'ValidateService:Skipped',
    ]);
    await expect(deploymentOperations.StopDeployment!({ deploymentId: id }, b.context)).rejects.toMatchObject(
      {
        code: 'DeploymentAlreadyCompletedException',
      },
    );
  });

  it('rolls a failed deployment back to the last good revision as a new, linked deployment', async () => {
    const b = bed({ autoRollback: true });
    const good = await deploy(b, { revision: revision('v1.zip') });
    await b.engine.idle();
    b.agent.failIf = (request) =>
      request.event === 'ApplicationStart' && request.revision.s3Location?.key === 'v2.zip';
    const bad = await deploy(b, { revision: revision('v2.zip') });
    await b.engine.idle();
    const failedInfo = info(b, bad);
    expect(failedInfo.status).toBe('Failed');
    const rollbackId = failedInfo.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect(failedInfo.rollbackInfo?.rollbackMessage).toBe(
      `Deployment ${bad} terminated. Automatic rollback is triggered with a DeploymentId ${rollbackId}.`,
    );
    const rollback = info(b, rollbackId!);
    expect(rollback).toMatchObject({
      creator: 'codeDeployRollback',
      revision: revision('v1.zip'),
      status: 'Succeeded',
      rollbackInfo: { rollbackTriggeringDeploymentId: bad },
    });
    expect(b.store.state.deploymentGroups['app/group']!.lastSuccessfulDeployment?.deploymentId).toBe(
      rollbackId,
    );
    expect(good).not.toBe(rollbackId);
  });

  it('explains in rollbackInfo when there is no last good revision to roll back to', async () => {
    const b = bed({ autoRollback: true });
    b.agent.on('i1', 'Install', 'fail');
    const id = await deploy(b);
    await b.engine.idle();
    expect(info(b, id).rollbackInfo).toEqual({
      rollbackMessage: expect.stringContaining('no last successful revision'),
    });
    expect(Object.keys(b.store.state.deployments)).toEqual([id]);
  });

  it('rolls back a stop when StopDeployment asks for it', async () => {
    const b = bed();
    await deploy(b, { revision: revision('v1.zip') });
    await b.engine.idle();
    b.agent.on('i1', 'Install', 'hang');
    const id = await deploy(b, { revision: revision('v2.zip') });
    await until(() => target(b, id, 'i1').lifecycleEvents![3]!.status === 'InProgress');
    await deploymentOperations.StopDeployment!({ deploymentId: id, autoRollbackEnabled: true }, b.context);
    b.agent.script.clear();
    await b.engine.idle();
    const rollbackId = info(b, id).rollbackInfo?.rollbackDeploymentId;
    expect(info(b, id).status).toBe('Stopped');
    expect(info(b, rollbackId!)).toMatchObject({ status: 'Succeeded', revision: revision('v1.zip') });
  });

  it('updateOutdatedInstancesOnly skips instances already on the revision', async () => {
    const b = bed({ config: 'CodeDeployDefault.AllAtOnce' });
    b.agent.on('i2', 'Install', 'fail');
    await deploy(b);
    await b.engine.idle();
    const calls = b.agent.calls.length;
    b.agent.script.clear();
    const id = await deploy(b, { updateOutdatedInstancesOnly: true });
    await b.engine.idle();
    expect(info(b, id)).toMatchObject({
      status: 'Succeeded',
      deploymentOverview: { Skipped: 2, Succeeded: 1 },
    });
    expect(target(b, id, 'i1').status).toBe('Skipped');
    expect(new Set(b.agent.calls.slice(calls).map((call) => call.instance.name))).toEqual(new Set(['i2']));
  });

  it('deploys unhealthy instances first and passes the last successful deployment to the agent', async () => {
    const b = bed();
    b.agent.on('i3', 'Install', 'fail');
    const first = await deploy(b);
    await b.engine.idle();
    b.agent.script.clear();
    const calls = b.agent.calls.length;
    await deploy(b, { revision: revision('v2.zip') });
    await b.engine.idle();
    const second = b.agent.calls.slice(calls);
    expect(second[0]?.instance.name).toBe('i3');
    expect(second.find((call) => call.instance.name === 'i1')?.lastSuccessfulDeploymentId).toBe(first);
    expect(second[0]?.instance.root).toBe(join(b.dir, 'instances', 'i3'));
  });

  it('after a restart, fails the running event and finishes the deployment without re-running it', async () => {
    const b = bed();
    b.agent.on('i2', 'Install', 'hang');
    const id = await deploy(b);
    await until(() => target(b, id, 'i2').lifecycleEvents![3]!.status === 'InProgress');
    // A second engine on the persisted state, as after the server died mid-deployment.
    const agent = new FakeAgent();
    const restarted = bed({ dir: b.dir, agent });
    await restarted.engine.idle();
    const after = restarted.store.state.deployments[id]!;
    const install = after.targets.i2!.lifecycleEvents![3]!;
    expect(install).toMatchObject({
      status: 'Failed',
      diagnostics: { errorCode: 'UnknownError', message: MESSAGES.AGENT_RESTART },
    });
    expect(after.targets.i2!.status).toBe('Failed');
    expect(after.info).toMatchObject({ status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS' } });
    expect(after.info.deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 1, Skipped: 1 });
    expect(agent.calls).toHaveLength(0);
  });
});
