import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import type { Agent, LifecycleRequest } from '../agent/types.js';
import type { ComputeRuntime } from '../compute/runtime.js';
import { deploymentOperations as ops } from '../deployments/index.js';
import { Store } from '../state/index.js';
import type { OperationContext } from '../wire/operation.js';
import { createDeploymentEngine } from './engine.js';

/** Only alarms matter here; an EC2/on-premises deployment never touches Lambda or ECS. */
function alarmsOnly(states: Map<string, 'OK' | 'ALARM'>): ComputeRuntime {
  return { alarmState: (name) => states.get(name) ?? 'INSUFFICIENT_DATA' } as ComputeRuntime;
}

describe('alarms on EC2/on-premises deployments', () => {
  it('stops before the next instance once an alarm fires, and rolls back on DEPLOYMENT_STOP_ON_ALARM', async () => {
    const states = new Map<string, 'OK' | 'ALARM'>();
    const store = new Store();
    store.update((state) => {
      state.applications.app = { applicationName: 'app', computePlatform: 'Server' };
      state.deploymentGroups['app/group'] = {
        applicationName: 'app',
        deploymentGroupName: 'group',
        deploymentGroupId: 'group-id',
        deploymentConfigName: 'CodeDeployDefault.OneAtATime',
        onPremisesInstanceTagFilters: [{ Key: 'fleet', Type: 'KEY_ONLY' }],
        alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
      };
      for (const name of ['i1', 'i2', 'i3'])
        state.instances[name] = { instanceName: name, tags: [{ Key: 'fleet' }] };
    });
    const ran: string[] = [];
    // The alarm goes off while the first instance installs.
    const agent: Agent = {
      run: async (request: LifecycleRequest) => {
        ran.push(`${request.instance.name}:${request.event}`);
        if (request.event === 'Install') states.set('errors', 'ALARM');
        return {
          status: 'Succeeded',
          diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' },
        };
      },
    };
    const engine = createDeploymentEngine({
      store,
      agent,
      instancesDir: '/nonexistent',
      now: () => new Date(),
      minuteMs: 60_000,
      compute: alarmsOnly(states),
    });
    const context: OperationContext = {
      store,
      engine,
      accountId: '111122223333',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:0',
      now: () => new Date(),
    };
    const { deploymentId } = (await ops.CreateDeployment!(
      {
        applicationName: 'app',
        deploymentGroupName: 'group',
        revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'v2.zip', bundleType: 'zip' } },
      },
      context,
    )) as { deploymentId: string };
    await engine.idle();
    const info: DeploymentInfo = store.state.deployments[deploymentId]!.info;
    expect(info).toMatchObject({
      status: 'Stopped',
      errorInformation: { code: 'ALARM_ACTIVE' },
      deploymentOverview: { Succeeded: 1, Skipped: 2 },
    });
    expect(ran.filter((call) => !call.startsWith('i1:'))).toEqual([]);
    // No earlier successful revision to go back to: the rollback is attempted and explained.
    expect(info.rollbackInfo?.rollbackMessage).toMatch(/no last successful revision/);
    await engine.close();
  });
});
