import {
  AddTagsToOnPremisesInstancesCommand,
  type CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  RegisterOnPremisesInstanceCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';

export interface FleetOptions {
  application: string;
  deploymentGroup?: string;
  /** How many on-premises instances to register (named `<application>-1`, `-2`, ...). */
  instances: number;
  deploymentConfig?: string;
  bucket?: string;
}

export interface Fleet {
  application: string;
  deploymentGroup: string;
  bucket: string;
  instanceNames: string[];
}

/** The tag that puts the fleet's instances in its deployment group. */
export const FLEET_TAG_KEY = 'codedeploy-gate:fleet';

/**
 * Sets up what `codedeploy-gate local run` deploys to: a bucket, an application, N on-premises
 * instances tagged for one deployment group, and that group. It goes through the public API with the
 * real SDK clients, exactly as a user would against AWS, so it doubles as a check of the server.
 */
export async function provisionFleet(
  clients: { codeDeploy: CodeDeployClient; s3: S3Client },
  options: FleetOptions,
): Promise<Fleet> {
  const { codeDeploy, s3 } = clients;
  const deploymentGroup = options.deploymentGroup ?? `${options.application}-local`;
  const bucket = options.bucket ?? 'codedeploy-gate-local';
  await s3
    .send(new CreateBucketCommand({ Bucket: bucket }))
    .catch(ignore('BucketAlreadyOwnedByYou', 'BucketAlreadyExists'));
  await codeDeploy
    .send(new CreateApplicationCommand({ applicationName: options.application, computePlatform: 'Server' }))
    .catch(ignore('ApplicationAlreadyExistsException'));
  const instanceNames = Array.from(
    { length: options.instances },
    (_, i) => `${options.application}-${i + 1}`,
  );
  for (const instanceName of instanceNames) {
    await codeDeploy
      .send(
        new RegisterOnPremisesInstanceCommand({
          instanceName,
          iamUserArn: `arn:aws:iam::111122223333:user/${instanceName}`,
        }),
      )
      .catch(ignore('InstanceNameAlreadyRegisteredException', 'IamUserArnAlreadyRegisteredException'));
  }
  await codeDeploy.send(
    new AddTagsToOnPremisesInstancesCommand({
      instanceNames,
      tags: [{ Key: FLEET_TAG_KEY, Value: options.application }],
    }),
  );
  await codeDeploy
    .send(
      new CreateDeploymentGroupCommand({
        applicationName: options.application,
        deploymentGroupName: deploymentGroup,
        serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeployServiceRole',
        deploymentConfigName: options.deploymentConfig ?? 'CodeDeployDefault.OneAtATime',
        onPremisesInstanceTagFilters: [
          { Key: FLEET_TAG_KEY, Value: options.application, Type: 'KEY_AND_VALUE' },
        ],
      }),
    )
    .catch(ignore('DeploymentGroupAlreadyExistsException'));
  return { application: options.application, deploymentGroup, bucket, instanceNames };
}

/** Re-running `local run` on a persistent state dir finds its resources already there. */
function ignore(...names: string[]) {
  return (error: unknown) => {
    if (names.includes((error as { name?: string }).name ?? '')) return undefined;
    throw error;
  };
}
