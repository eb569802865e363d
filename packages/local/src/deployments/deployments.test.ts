import type { CreateDeploymentInput } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { Store } from '../state/index.js';
import { checkCodeDeployInput } from '../wire/codedeploy-constraints.js';
import type { DeploymentEngineHandle, OperationContext, OperationTable } from '../wire/operation.js';
import { deploymentOperations } from './index.js';

/** The handlers behind the model's constraint check, in the order the server runs them. */
const ops: OperationTable = Object.fromEntries(
  Object.entries(deploymentOperations).map(([name, handler]) => [
    name,
    (input: unknown, context: OperationContext) => {
      checkCodeDeployInput(name, input);
      return handler(input, context);
    },
  ]),
);

/** The operations alone: the engine is a recorder, statuses are set by hand where a test needs them. */
function setup() {
  const store = new Store();
  store.update((state) => {
    state.applications.app = { applicationName: 'app', computePlatform: 'Server' };
    state.deploymentGroups['app/group'] = {
      applicationName: 'app',
      deploymentGroupName: 'group',
      deploymentGroupId: 'gid',
      onPremisesInstanceTagFilters: [{ Key: 'fleet', Type: 'KEY_ONLY' }],
    };
    for (const name of ['a', 'b'])
      state.instances[name] = { instanceName: name, tags: [{ Key: 'fleet', Value: 'x' }] };
  });
  const started: string[] = [];
  const engine: DeploymentEngineHandle = {
    start: (id) => void started.push(id),
    stop: async () => {},
    continue: () => {
      throw Object.assign(new Error('not ready'), { code: 'DeploymentIsNotInReadyStateException' });
    },
    reportHookExecution: () => {},
    idle: async () => {},
    close: async () => {},
  };
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const context: OperationContext = {
    store,
    engine,
    accountId: '111122223333',
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:0',
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
  };
  const create = (input: Partial<CreateDeploymentInput> = {}) =>
    ops.CreateDeployment!(
      {
        applicationName: 'app',
        deploymentGroupName: 'group',
        revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
        ...input,
      },
      context,
    ) as Promise<{ deploymentId: string }>;
  const finish = (id: string) =>
    store.update((state) => {
      state.deployments[id]!.info.status = 'Succeeded';
    });
  return { store, context, create, finish, started };
}

const code = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
};

describe('CreateDeployment', () => {
  it('validates in the service order with the real exception names', async () => {
    const { create } = setup();
    expect(await code(() => create({ applicationName: '' }))).toBe('ApplicationNameRequiredException');
    expect(await code(() => create({ applicationName: 'nope' }))).toBe('ApplicationDoesNotExistException');
    expect(await code(() => create({ deploymentGroupName: '' }))).toBe(
      'DeploymentGroupNameRequiredException',
    );
    expect(await code(() => create({ deploymentGroupName: 'nope' }))).toBe(
      'DeploymentGroupDoesNotExistException',
    );
    expect(await code(() => create({ revision: undefined }))).toBe('RevisionRequiredException');
    expect(
      await code(() => create({ revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } } })),
    ).toBe('InvalidRevisionException');
    expect(await code(() => create({ deploymentConfigName: 'Missing' }))).toBe(
      'DeploymentConfigDoesNotExistException',
    );
    expect(await code(() => create({ fileExistsBehavior: 'KEEP' as never }))).toBe(
      'InvalidFileExistsBehaviorException',
    );
    expect(await code(() => create({ autoRollbackConfiguration: { enabled: true, events: [] } }))).toBe(
      'InvalidAutoRollbackConfigException',
    );
    expect(await code(() => create({ targetInstances: { autoScalingGroups: ['asg'] } }))).toBe(
      'InvalidTargetInstancesException',
    );
  });

  it('stores a Created deployment with a Pending target per selected instance and hands it to the engine', async () => {
    const { create, store, started } = setup();
    const { deploymentId } = await create({ description: 'first' });
    expect(started).toEqual([deploymentId]);
    const record = store.state.deployments[deploymentId]!;
    expect(record.info).toMatchObject({
      status: 'Created',
      creator: 'user',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      fileExistsBehavior: 'DISALLOW',
      computePlatform: 'Server',
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
    });
    expect(record.targets.a?.targetArn).toBe('arn:aws:codedeploy:eu-west-1:111122223333:instance/a');
    const revisions = Object.values(store.state.revisions);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]!.info.description).toBe(
      `Application revision registered by Deployment ID: ${deploymentId}`,
    );
  });

  it('allows one active deployment per group', async () => {
    const { create, finish } = setup();
    const { deploymentId } = await create();
    await expect(create()).rejects.toThrow(
      `The Deployment Group 'group' already has an active Deployment '${deploymentId}'`,
    );
    finish(deploymentId);
    expect((await create()).deploymentId).not.toBe(deploymentId);
  });
});

describe('reading deployments', () => {
  it('lists newest first, filters by status and group, and pages', async () => {
    const { create, finish, context } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await create()).deploymentId);
      finish(ids[i]!);
    }
    expect(ops.ListDeployments!({ applicationName: 'app', deploymentGroupName: 'group' }, context)).toEqual({
      deployments: [...ids].reverse(),
    });
    expect(ops.ListDeployments!({ includeOnlyStatuses: ['Failed'] }, context)).toEqual({ deployments: [] });
    expect(await code(() => ops.ListDeployments!({ deploymentGroupName: 'group' }, context))).toBe(
      'ApplicationNameRequiredException',
    );
    expect(await code(() => ops.ListDeployments!({ includeOnlyStatuses: ['Done'] }, context))).toBe(
      'InvalidDeploymentStatusException',
    );
    expect(await code(() => ops.ListDeployments!({ nextToken: 'garbage' }, context))).toBe(
      'InvalidNextTokenException',
    );
  });

  it('GetDeployment and BatchGetDeployments check ids', async () => {
    const { create, context } = setup();
    const { deploymentId } = await create();
    expect(await code(() => ops.GetDeployment!({}, context))).toBe('DeploymentIdRequiredException');
    expect(await code(() => ops.GetDeployment!({ deploymentId: 'x' }, context))).toBe(
      'InvalidDeploymentIdException',
    );
    expect(await code(() => ops.GetDeployment!({ deploymentId: 'd-AAAAAAAAA' }, context))).toBe(
      'DeploymentDoesNotExistException',
    );
    const ids = Array.from({ length: 26 }, () => deploymentId);
    expect(await code(() => ops.BatchGetDeployments!({ deploymentIds: ids }, context))).toBe(
      'BatchLimitExceededException',
    );
    const batch = ops.BatchGetDeployments!({ deploymentIds: [deploymentId, 'd-AAAAAAAAA'] }, context) as {
      deploymentsInfo: unknown[];
    };
    expect(batch.deploymentsInfo).toHaveLength(1);
  });
});

describe('targets and instances', () => {
  it('answers DeploymentNotStartedException while Created, then lists and gets targets', async () => {
    const { create, store, context } = setup();
    const { deploymentId } = await create();
    expect(await code(() => ops.ListDeploymentTargets!({ deploymentId }, context))).toBe(
      'DeploymentNotStartedException',
    );
    store.update((state) => {
      const record = state.deployments[deploymentId]!;
      record.info.status = 'InProgress';
      record.targets.a!.status = 'Succeeded';
    });
    expect(ops.ListDeploymentTargets!({ deploymentId }, context)).toEqual({ targetIds: ['a', 'b'] });
    expect(
      ops.ListDeploymentTargets!({ deploymentId, targetFilters: { TargetStatus: ['Succeeded'] } }, context),
    ).toEqual({
      targetIds: ['a'],
    });
    expect(
      ops.ListDeploymentTargets!({ deploymentId, targetFilters: { ServerInstanceLabel: ['Blue'] } }, context),
    ).toEqual({
      targetIds: [],
    });
    const batch = ops.BatchGetDeploymentTargets!({ deploymentId, targetIds: ['b'] }, context) as {
      deploymentTargets: { deploymentTargetType: string; instanceTarget: { targetId: string } }[];
    };
    expect(batch.deploymentTargets[0]).toMatchObject({
      deploymentTargetType: 'InstanceTarget',
      instanceTarget: { targetId: 'b' },
    });
    expect(await code(() => ops.BatchGetDeploymentTargets!({ deploymentId, targetIds: [] }, context))).toBe(
      'DeploymentTargetIdRequiredException',
    );
    expect(
      await code(() =>
        ops.BatchGetDeploymentTargets!({ deploymentId, targetIds: Array(26).fill('a') }, context),
      ),
    ).toBe('DeploymentTargetListSizeExceededException');
    expect(await code(() => ops.GetDeploymentTarget!({ deploymentId, targetId: 'zz' }, context))).toBe(
      'DeploymentTargetDoesNotExistException',
    );
    expect(
      ops.ListDeploymentInstances!({ deploymentId, instanceStatusFilter: ['Pending'] }, context),
    ).toEqual({
      instancesList: ['b'],
    });
    const summary = ops.GetDeploymentInstance!({ deploymentId, instanceId: 'a' }, context) as {
      instanceSummary: { instanceId: string; status: string; lifecycleEvents: unknown[] };
    };
    expect(summary.instanceSummary).toMatchObject({
      instanceId: 'arn:aws:codedeploy:eu-west-1:111122223333:instance/a',
      status: 'Succeeded',
    });
    expect(summary.instanceSummary.lifecycleEvents).toHaveLength(7);
    expect(
      await code(() => ops.BatchGetDeploymentInstances!({ deploymentId, instanceIds: [] }, context)),
    ).toBe('InstanceIdRequiredException');
  });

  it('ContinueDeployment refuses an in-place deployment: it has no blue/green waits', async () => {
    const { create, context } = setup();
    const { deploymentId } = await create();
    expect(await code(() => ops.ContinueDeployment!({ deploymentId }, context))).toBe(
      'UnsupportedActionForDeploymentTypeException',
    );
    expect(
      await code(() =>
        ops.ContinueDeployment!({ deploymentId, deploymentWaitType: 'SOON' as never }, context),
      ),
    ).toBe('InvalidDeploymentWaitTypeException');
  });
});
