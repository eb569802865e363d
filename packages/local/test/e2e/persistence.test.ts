import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
  GetOnPremisesInstanceCommand,
  RegisterOnPremisesInstanceCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLE_ARN, startHarness } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('a persistent state dir', () => {
  it('keeps applications, groups, instances, buckets and objects across a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'local-codedeploy-state-'));
    dirs.push(stateDir);
    const first = await startHarness({ stateDir });
    await first.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'kept' }));
    const { deploymentGroupId } = await first.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'kept',
        deploymentGroupName: 'g',
        serviceRoleArn: ROLE_ARN,
      }),
    );
    await first.codeDeploy.send(
      new RegisterOnPremisesInstanceCommand({
        instanceName: 'box-1',
        iamUserArn: 'arn:aws:iam::111122223333:user/box-1',
      }),
    );
    await first.s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await first.s3.send(
      new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'dir/hello.txt', Body: 'hello again' }),
    );
    await first.close();

    const second = await startHarness({ stateDir });
    try {
      const { application } = await second.codeDeploy.send(
        new GetApplicationCommand({ applicationName: 'kept' }),
      );
      expect(application?.createTime).toBeInstanceOf(Date);
      const { deploymentGroupInfo } = await second.codeDeploy.send(
        new GetDeploymentGroupCommand({ applicationName: 'kept', deploymentGroupName: 'g' }),
      );
      expect(deploymentGroupInfo?.deploymentGroupId).toBe(deploymentGroupId);
      const { instanceInfo } = await second.codeDeploy.send(
        new GetOnPremisesInstanceCommand({ instanceName: 'box-1' }),
      );
      expect(instanceInfo?.registerTime).toBeInstanceOf(Date);
      const object = await second.s3.send(
        new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'dir/hello.txt' }),
      );
      expect(await object.Body?.transformToString()).toBe('hello again');
      expect(second.server.stateDir).toBe(stateDir);
    } finally {
      await second.close();
    }
  });
});
