import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddTagsToOnPremisesInstancesCommand,
  ApplicationAlreadyExistsException,
  BatchGetApplicationRevisionsCommand,
  BatchGetApplicationsCommand,
  BatchGetDeploymentGroupsCommand,
  BatchGetOnPremisesInstancesCommand,
  CreateApplicationCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentConfigCommand,
  DeleteDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentConfigInUseException,
  DeploymentGroupAlreadyExistsException,
  DeploymentGroupDoesNotExistException,
  DeregisterOnPremisesInstanceCommand,
  GetApplicationCommand,
  GetApplicationRevisionCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetOnPremisesInstanceCommand,
  IamArnRequiredException,
  InstanceNameAlreadyRegisteredException,
  InstanceNotRegisteredException,
  InvalidArnException,
  InvalidDeploymentStyleException,
  InvalidMinimumHealthyHostValueException,
  InvalidNextTokenException,
  InvalidOnPremisesTagCombinationException,
  InvalidOperationException,
  ListApplicationRevisionsCommand,
  ListApplicationsCommand,
  ListDeploymentConfigsCommand,
  ListDeploymentGroupsCommand,
  ListOnPremisesInstancesCommand,
  ListTagsForResourceCommand,
  MultipleIamArnsProvidedException,
  RegisterApplicationRevisionCommand,
  RegisterOnPremisesInstanceCommand,
  RemoveTagsFromOnPremisesInstancesCommand,
  RevisionDoesNotExistException,
  type RevisionLocation,
  RoleRequiredException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ROLE_ARN, rejectionOf, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const USER_ARN = (name: string) => `arn:aws:iam::111122223333:user/${name}`;

describe('applications', () => {
  it('creates, reads, lists in pages, renames and deletes applications', async () => {
    const { applicationId } = await h.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'web' }),
    );
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    const { application } = await h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'web' }));
    expect(application).toMatchObject({
      applicationName: 'web',
      computePlatform: 'Server',
      linkedToGitHub: false,
    });
    expect(application?.createTime).toBeInstanceOf(Date);
    await h.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'fn', computePlatform: 'Lambda' }),
    );
    expect(
      await rejectionOf(h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'web' }))),
    ).toBeInstanceOf(ApplicationAlreadyExistsException);

    const batch = await h.codeDeploy.send(
      new BatchGetApplicationsCommand({ applicationNames: ['fn', 'web'] }),
    );
    expect(batch.applicationsInfo?.map((a) => a.computePlatform)).toEqual(['Lambda', 'Server']);

    for (let i = 0; i < 120; i++) {
      await h.codeDeploy.send(
        new CreateApplicationCommand({ applicationName: `bulk-${String(i).padStart(3, '0')}` }),
      );
    }
    const first = await h.codeDeploy.send(new ListApplicationsCommand({}));
    expect(first.applications).toHaveLength(100);
    expect(first.applications?.[0]).toBe('bulk-000');
    const second = await h.codeDeploy.send(new ListApplicationsCommand({ nextToken: first.nextToken }));
    expect(second.applications).toEqual([
      'bulk-100',
      ...Array.from({ length: 19 }, (_, i) => `bulk-${101 + i}`),
      'fn',
      'web',
    ]);
    expect(second.nextToken).toBeUndefined();
    expect(
      await rejectionOf(h.codeDeploy.send(new ListApplicationsCommand({ nextToken: 'bogus' }))),
    ).toBeInstanceOf(InvalidNextTokenException);

    await h.codeDeploy.send(
      new UpdateApplicationCommand({ applicationName: 'fn', newApplicationName: 'fn2' }),
    );
    await h.codeDeploy.send(new DeleteApplicationCommand({ applicationName: 'fn2' }));
    const missing = await rejectionOf(
      h.codeDeploy.send(new GetApplicationCommand({ applicationName: 'fn2' })),
    );
    expect(missing.name).toBe('ApplicationDoesNotExistException');
  });
});

describe('deployment configs', () => {
  it('answers the built-ins with their minimum healthy hosts', async () => {
    const get = (name: string) =>
      h.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }));
    expect((await get('CodeDeployDefault.AllAtOnce')).deploymentConfigInfo?.minimumHealthyHosts).toEqual({
      type: 'HOST_COUNT',
      value: 0,
    });
    expect((await get('CodeDeployDefault.HalfAtATime')).deploymentConfigInfo?.minimumHealthyHosts).toEqual({
      type: 'FLEET_PERCENT',
      value: 50,
    });
    expect((await get('CodeDeployDefault.OneAtATime')).deploymentConfigInfo?.minimumHealthyHosts?.value).toBe(
      1,
    );
    expect(
      (await get('CodeDeployDefault.LambdaLinear10PercentEvery1Minute')).deploymentConfigInfo
        ?.trafficRoutingConfig,
    ).toEqual({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
    });
    expect(await rejectionOf(get('Nope'))).toBeInstanceOf(DeploymentConfigDoesNotExistException);
  });

  it('creates custom configs, validates FLEET_PERCENT, and protects built-ins and configs in use', async () => {
    await h.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'ThreeQuarters',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
      }),
    );
    const bad = await rejectionOf(
      h.codeDeploy.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: 'TooMany',
          minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 100 },
        }),
      ),
    );
    expect(bad).toBeInstanceOf(InvalidMinimumHealthyHostValueException);
    const list = await h.codeDeploy.send(new ListDeploymentConfigsCommand({}));
    expect(list.deploymentConfigsList).toContain('ThreeQuarters');
    expect(list.deploymentConfigsList).toContain('CodeDeployDefault.OneAtATime');

    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'cfg-app' }));
    await h.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'cfg-app',
        deploymentGroupName: 'g',
        serviceRoleArn: ROLE_ARN,
        deploymentConfigName: 'ThreeQuarters',
      }),
    );
    expect(
      await rejectionOf(
        h.codeDeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'ThreeQuarters' })),
      ),
    ).toBeInstanceOf(DeploymentConfigInUseException);
    expect(
      await rejectionOf(
        h.codeDeploy.send(
          new DeleteDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.AllAtOnce' }),
        ),
      ),
    ).toBeInstanceOf(InvalidOperationException);
    await h.codeDeploy.send(new DeleteApplicationCommand({ applicationName: 'cfg-app' }));
    await h.codeDeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'ThreeQuarters' }));
  });
});

describe('deployment groups', () => {
  it('creates, reads, updates, lists and deletes groups with on-premises tag filters', async () => {
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'shop' }));
    const { deploymentGroupId } = await h.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'shop',
        deploymentGroupName: 'prod',
        serviceRoleArn: ROLE_ARN,
        deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
        onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] },
      }),
    );
    const { deploymentGroupInfo } = await h.codeDeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'prod' }),
    );
    expect(deploymentGroupInfo).toMatchObject({
      deploymentGroupId,
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      computePlatform: 'Server',
    });

    const group = (name: string, extra = {}) =>
      h.codeDeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'shop',
          deploymentGroupName: name,
          serviceRoleArn: ROLE_ARN,
          ...extra,
        }),
      );
    expect(await rejectionOf(group('prod'))).toBeInstanceOf(DeploymentGroupAlreadyExistsException);
    expect(
      await rejectionOf(
        h.codeDeploy.send(
          new CreateDeploymentGroupCommand({
            applicationName: 'shop',
            deploymentGroupName: 'x',
            serviceRoleArn: undefined as unknown as string,
          }),
        ),
      ),
    ).toBeInstanceOf(RoleRequiredException);
    const blueGreen = await rejectionOf(
      group('bg', {
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      }),
    );
    expect(blueGreen).toBeInstanceOf(InvalidDeploymentStyleException);
    expect(blueGreen.message).toContain('does not emulate');
    const both = await rejectionOf(
      group('both', {
        onPremisesInstanceTagFilters: [{ Key: 'a', Type: 'KEY_ONLY' }],
        onPremisesTagSet: { onPremisesTagSetList: [[{ Key: 'b', Type: 'KEY_ONLY' }]] },
      }),
    );
    expect(both).toBeInstanceOf(InvalidOnPremisesTagCombinationException);

    await group('staging', {
      onPremisesTagSet: { onPremisesTagSetList: [[{ Value: 'staging', Type: 'VALUE_ONLY' }]] },
    });
    await h.codeDeploy.send(
      new UpdateDeploymentGroupCommand({
        applicationName: 'shop',
        currentDeploymentGroupName: 'staging',
        newDeploymentGroupName: 'stage',
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      }),
    );
    const list = await h.codeDeploy.send(new ListDeploymentGroupsCommand({ applicationName: 'shop' }));
    expect(list).toMatchObject({ applicationName: 'shop', deploymentGroups: ['prod', 'stage'] });
    const batch = await h.codeDeploy.send(
      new BatchGetDeploymentGroupsCommand({
        applicationName: 'shop',
        deploymentGroupNames: ['stage', 'gone'],
      }),
    );
    expect(batch.deploymentGroupsInfo?.map((g) => [g.deploymentGroupName, g.deploymentConfigName])).toEqual([
      ['stage', 'CodeDeployDefault.AllAtOnce'],
    ]);
    expect(batch.errorMessage).toContain('gone');

    await h.codeDeploy.send(
      new DeleteDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'stage' }),
    );
    const gone = await rejectionOf(
      h.codeDeploy.send(
        new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'stage' }),
      ),
    );
    expect(gone).toBeInstanceOf(DeploymentGroupDoesNotExistException);
  });
});

describe('on-premises instances', () => {
  it('registers instances as folders, tags, lists by tag and status, and deregisters', async () => {
    const register = (instanceName: string, arns: { iamUserArn?: string; iamSessionArn?: string }) =>
      h.codeDeploy.send(new RegisterOnPremisesInstanceCommand({ instanceName, ...arns }));
    await register('web-1', { iamUserArn: USER_ARN('web-1') });
    await register('web-2', { iamSessionArn: 'arn:aws:sts::111122223333:assumed-role/CodeDeploy/web-2' });
    expect(existsSync(join(h.server.instancesDir, 'web-1'))).toBe(true);
    expect(await rejectionOf(register('web-1', { iamUserArn: USER_ARN('other') }))).toBeInstanceOf(
      InstanceNameAlreadyRegisteredException,
    );
    expect(await rejectionOf(register('web-3', {}))).toBeInstanceOf(IamArnRequiredException);
    expect(
      await rejectionOf(
        register('web-3', {
          iamUserArn: USER_ARN('a'),
          iamSessionArn: 'arn:aws:sts::111122223333:assumed-role/r/s',
        }),
      ),
    ).toBeInstanceOf(MultipleIamArnsProvidedException);

    await h.codeDeploy.send(
      new AddTagsToOnPremisesInstancesCommand({
        instanceNames: ['web-1', 'web-2'],
        tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'role', Value: 'web' },
        ],
      }),
    );
    await h.codeDeploy.send(
      new RemoveTagsFromOnPremisesInstancesCommand({
        instanceNames: ['web-2'],
        tags: [{ Key: 'env', Value: 'prod' }],
      }),
    );
    const { instanceInfo } = await h.codeDeploy.send(
      new GetOnPremisesInstanceCommand({ instanceName: 'web-2' }),
    );
    expect(instanceInfo?.tags).toEqual([{ Key: 'role', Value: 'web' }]);
    expect(instanceInfo?.instanceArn).toBe('arn:aws:codedeploy:us-east-1:111122223333:instance/web-2');

    const byTag = await h.codeDeploy.send(
      new ListOnPremisesInstancesCommand({
        tagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
      }),
    );
    expect(byTag.instanceNames).toEqual(['web-1']);
    expect(
      await rejectionOf(
        h.codeDeploy.send(
          new AddTagsToOnPremisesInstancesCommand({
            instanceNames: ['ghost'],
            tags: [{ Key: 'a', Value: 'b' }],
          }),
        ),
      ),
    ).toBeInstanceOf(InstanceNotRegisteredException);

    await h.codeDeploy.send(new DeregisterOnPremisesInstanceCommand({ instanceName: 'web-2' }));
    const registered = await h.codeDeploy.send(
      new ListOnPremisesInstancesCommand({ registrationStatus: 'Registered' }),
    );
    expect(registered.instanceNames).toEqual(['web-1']);
    const deregistered = await h.codeDeploy.send(
      new ListOnPremisesInstancesCommand({ registrationStatus: 'Deregistered' }),
    );
    expect(deregistered.instanceNames).toEqual(['web-2']);
    const batch = await h.codeDeploy.send(
      new BatchGetOnPremisesInstancesCommand({ instanceNames: ['web-1', 'web-2', 'ghost'] }),
    );
    expect(batch.instanceInfos?.map((i) => [i.instanceName, i.deregisterTime instanceof Date])).toEqual([
      ['web-1', false],
      ['web-2', true],
    ]);
    expect(
      await rejectionOf(h.codeDeploy.send(new GetOnPremisesInstanceCommand({ instanceName: 'ghost' }))),
    ).toBeInstanceOf(InstanceNotRegisteredException);
  });
});

describe('revisions', () => {
  const s3Revision = (key: string): RevisionLocation => ({
    revisionType: 'S3',
    s3Location: { bucket: 'releases', key, bundleType: 'zip', eTag: 'abc' },
  });

  it('registers, reads, batch-reads and lists revisions with filters', async () => {
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'rev-app' }));
    await h.codeDeploy.send(
      new RegisterApplicationRevisionCommand({
        applicationName: 'rev-app',
        revision: s3Revision('app/v1.zip'),
        description: 'v1',
      }),
    );
    await new Promise((done) => setTimeout(done, 5));
    await h.codeDeploy.send(
      new RegisterApplicationRevisionCommand({
        applicationName: 'rev-app',
        revision: s3Revision('other/v2.zip'),
      }),
    );
    await h.codeDeploy.send(
      new RegisterApplicationRevisionCommand({
        applicationName: 'rev-app',
        revision: {
          revisionType: 'GitHub',
          gitHubLocation: { repository: 'acme/app', commitId: 'deadbeef' },
        },
      }),
    );

    const got = await h.codeDeploy.send(
      new GetApplicationRevisionCommand({ applicationName: 'rev-app', revision: s3Revision('app/v1.zip') }),
    );
    expect(got.revisionInfo).toMatchObject({ description: 'v1', deploymentGroups: [] });
    expect(got.revisionInfo?.registerTime).toBeInstanceOf(Date);
    expect(
      await rejectionOf(
        h.codeDeploy.send(
          new GetApplicationRevisionCommand({ applicationName: 'rev-app', revision: s3Revision('nope.zip') }),
        ),
      ),
    ).toBeInstanceOf(RevisionDoesNotExistException);

    const batch = await h.codeDeploy.send(
      new BatchGetApplicationRevisionsCommand({
        applicationName: 'rev-app',
        revisions: [s3Revision('app/v1.zip'), s3Revision('nope.zip')],
      }),
    );
    expect(batch.revisions).toHaveLength(1);
    expect(batch.errorMessage).toContain('nope.zip');

    const all = await h.codeDeploy.send(
      new ListApplicationRevisionsCommand({
        applicationName: 'rev-app',
        sortBy: 'registerTime',
        sortOrder: 'descending',
      }),
    );
    expect(all.revisions?.map((r) => r.revisionType)).toEqual(['GitHub', 'S3', 'S3']);
    const filtered = await h.codeDeploy.send(
      new ListApplicationRevisionsCommand({
        applicationName: 'rev-app',
        s3Bucket: 'releases',
        s3KeyPrefix: 'app/',
      }),
    );
    expect(filtered.revisions?.map((r) => r.s3Location?.key)).toEqual(['app/v1.zip']);
    const deployed = await h.codeDeploy.send(
      new ListApplicationRevisionsCommand({ applicationName: 'rev-app', deployed: 'include' }),
    );
    expect(deployed.revisions).toEqual([]);
  });
});

describe('resource tags', () => {
  it('tags applications and deployment groups by ARN', async () => {
    await h.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'tagged', tags: [{ Key: 'team', Value: 'a' }] }),
    );
    await h.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'tagged',
        deploymentGroupName: 'g',
        serviceRoleArn: ROLE_ARN,
      }),
    );
    const appArn = 'arn:aws:codedeploy:us-east-1:111122223333:application:tagged';
    const groupArn = 'arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:tagged/g';
    await h.codeDeploy.send(
      new TagResourceCommand({ ResourceArn: appArn, Tags: [{ Key: 'cost', Value: 'x' }] }),
    );
    await h.codeDeploy.send(
      new TagResourceCommand({ ResourceArn: groupArn, Tags: [{ Key: 'tier', Value: 'web' }] }),
    );
    await h.codeDeploy.send(new UntagResourceCommand({ ResourceArn: appArn, TagKeys: ['team'] }));
    expect((await h.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: appArn }))).Tags).toEqual([
      { Key: 'cost', Value: 'x' },
    ]);
    expect((await h.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: groupArn }))).Tags).toEqual(
      [{ Key: 'tier', Value: 'web' }],
    );
    expect(
      await rejectionOf(h.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: 'not-an-arn' }))),
    ).toBeInstanceOf(InvalidArnException);
    const missing = await rejectionOf(
      h.codeDeploy.send(
        new TagResourceCommand({
          ResourceArn: 'arn:aws:codedeploy:us-east-1:111122223333:application:ghost',
          Tags: [{ Key: 'a' }],
        }),
      ),
    );
    expect(missing.name).toBe('ApplicationDoesNotExistException');
  });
});
