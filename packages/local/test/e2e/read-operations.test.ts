import {
  CreateApplicationCommand,
  InvalidNextTokenException,
  ListApplicationRevisionsCommand,
  type ListApplicationRevisionsCommandInput,
  ListGitHubAccountTokenNamesCommand,
  RegisterApplicationRevisionCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  InvalidParameterException,
  ListClustersCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { writeRevision } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, fleet, settle } from './deployment-fixture.js';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { maxAttempts: 1 });
});
afterAll(() => h.close());

function s3(bucket: string, key: string, eTag?: string): RevisionLocation {
  return {
    revisionType: 'S3',
    s3Location: { bucket, key, bundleType: 'zip', ...(eTag ? { eTag } : {}) },
  };
}

async function register(applicationName: string, revision: RevisionLocation): Promise<void> {
  await h.codeDeploy.send(new RegisterApplicationRevisionCommand({ applicationName, revision }));
  // Registration times order the listing; keep them apart on a coarse clock.
  await new Promise((resolve) => setTimeout(resolve, 15));
}

async function keysOf(input: ListApplicationRevisionsCommandInput): Promise<string[]> {
  const { revisions } = await h.codeDeploy.send(new ListApplicationRevisionsCommand(input));
  return (revisions ?? []).map((revision) => `${revision.s3Location?.bucket}/${revision.s3Location?.key}`);
}

describe('ListGitHubAccountTokenNames', () => {
  it('lists no connections (the local server has no GitHub OAuth) and refuses a foreign nextToken', async () => {
    const { tokenNameList, nextToken } = await h.codeDeploy.send(new ListGitHubAccountTokenNamesCommand({}));
    expect(tokenNameList).toEqual([]);
    expect(nextToken).toBeUndefined();
    const error = await rejectionOf(
      h.codeDeploy.send(new ListGitHubAccountTokenNamesCommand({ nextToken: 'not-ours' })),
    );
    expect(error).toBeInstanceOf(InvalidNextTokenException);
  });
});

describe('ListApplicationRevisions', () => {
  it('sorts by registration time either way and filters by bucket and key prefix', async () => {
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'revs' }));
    await register('revs', s3('one', 'web/a.zip'));
    await register('revs', s3('two', 'web/b.zip'));
    await register('revs', s3('one', 'api/c.zip'));
    expect(await keysOf({ applicationName: 'revs', sortBy: 'registerTime', sortOrder: 'ascending' })).toEqual(
      ['one/web/a.zip', 'two/web/b.zip', 'one/api/c.zip'],
    );
    expect(
      await keysOf({ applicationName: 'revs', sortBy: 'registerTime', sortOrder: 'descending' }),
    ).toEqual(['one/api/c.zip', 'two/web/b.zip', 'one/web/a.zip']);
    expect(await keysOf({ applicationName: 'revs', s3Bucket: 'one' })).toEqual([
      'one/web/a.zip',
      'one/api/c.zip',
    ]);
    expect(await keysOf({ applicationName: 'revs', s3Bucket: 'one', s3KeyPrefix: 'api/' })).toEqual([
      'one/api/c.zip',
    ]);
  });

  it('keeps one revision for the same S3 object registered with and without an eTag', async () => {
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'etags' }));
    await register('etags', s3('bundles', 'app.zip'));
    await register('etags', s3('bundles', 'app.zip', '0123456789abcdef0123456789abcdef'));
    await register('etags', s3('bundles', 'app.zip', '0123456789abcdef0123456789abcdef-3'));
    expect(await keysOf({ applicationName: 'etags' })).toEqual(['bundles/app.zip']);
  });

  it('pages past 100 revisions with nextToken', async () => {
    await h.codeDeploy.send(new CreateApplicationCommand({ applicationName: 'many' }));
    for (let i = 0; i < 101; i++) {
      await h.codeDeploy.send(
        new RegisterApplicationRevisionCommand({ applicationName: 'many', revision: s3('b', `r${i}.zip`) }),
      );
    }
    const first = await h.codeDeploy.send(new ListApplicationRevisionsCommand({ applicationName: 'many' }));
    expect(first.revisions).toHaveLength(100);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await h.codeDeploy.send(
      new ListApplicationRevisionsCommand({ applicationName: 'many', nextToken: first.nextToken }),
    );
    expect(second.revisions).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    const all = [...(first.revisions ?? []), ...(second.revisions ?? [])].map((r) => r.s3Location?.key);
    expect(new Set(all).size).toBe(101);
  });

  it("filters by whether a revision is a deployment group's target (deployed)", async () => {
    const target = await fleet(h, 'deployed-filter', 1);
    await register(target.application, s3(target.bucket, 'never-deployed.zip'));
    const revision = await writeRevision();
    try {
      expect((await settle(h, await deploy(h, target, revision.dir))).status).toBe('Succeeded');
    } finally {
      await revision.cleanup();
    }
    const included = await keysOf({ applicationName: target.application, deployed: 'include' });
    const excluded = await keysOf({ applicationName: target.application, deployed: 'exclude' });
    expect(excluded).toEqual([`${target.bucket}/never-deployed.zip`]);
    expect(included).toHaveLength(1);
    expect(included[0]).not.toBe(`${target.bucket}/never-deployed.zip`);
    expect(await keysOf({ applicationName: target.application, deployed: 'ignore' })).toHaveLength(2);
  });
});

describe('ECS ListClusters and ListServices', () => {
  it('lists cluster ARNs and a cluster’s services, filtered and in pages of maxResults', async () => {
    await h.ecs.send(new CreateClusterCommand({ clusterName: 'list-a' }));
    await h.ecs.send(new CreateClusterCommand({ clusterName: 'list-b' }));
    const { clusterArns } = await h.ecs.send(new ListClustersCommand({}));
    expect(clusterArns).toEqual(
      expect.arrayContaining([
        'arn:aws:ecs:us-east-1:111122223333:cluster/list-a',
        'arn:aws:ecs:us-east-1:111122223333:cluster/list-b',
      ]),
    );
    const page = await h.ecs.send(new ListClustersCommand({ maxResults: 1 }));
    expect(page.clusterArns).toHaveLength(1);
    const rest = await h.ecs.send(new ListClustersCommand({ nextToken: page.nextToken }));
    expect([...(page.clusterArns ?? []), ...(rest.clusterArns ?? [])].sort()).toEqual(
      [...(clusterArns ?? [])].sort(),
    );

    await h.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'listed',
        requiresCompatibilities: ['FARGATE', 'EC2'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'web', image: 'nginx' }],
      }),
    );
    for (const [serviceName, launchType] of [
      ['svc-1', 'FARGATE'],
      ['svc-2', 'FARGATE'],
      ['svc-3', 'EC2'],
    ] as const) {
      await h.ecs.send(
        new CreateServiceCommand({
          cluster: 'list-a',
          serviceName,
          taskDefinition: 'listed',
          desiredCount: 1,
          launchType,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
        }),
      );
    }
    const arn = (name: string) => `arn:aws:ecs:us-east-1:111122223333:service/list-a/${name}`;
    const services = await h.ecs.send(new ListServicesCommand({ cluster: 'list-a' }));
    expect(services.serviceArns).toEqual([arn('svc-1'), arn('svc-2'), arn('svc-3')]);
    const fargate = await h.ecs.send(new ListServicesCommand({ cluster: 'list-a', launchType: 'FARGATE' }));
    expect(fargate.serviceArns).toEqual([arn('svc-1'), arn('svc-2')]);
    const first = await h.ecs.send(new ListServicesCommand({ cluster: 'list-a', maxResults: 2 }));
    expect(first.serviceArns).toEqual([arn('svc-1'), arn('svc-2')]);
    const second = await h.ecs.send(
      new ListServicesCommand({ cluster: 'list-a', maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second).toMatchObject({ serviceArns: [arn('svc-3')] });
    expect(second.nextToken).toBeUndefined();
    expect((await h.ecs.send(new ListServicesCommand({ cluster: 'list-b' }))).serviceArns).toEqual([]);
    const tooMany = await rejectionOf(
      h.ecs.send(new ListServicesCommand({ cluster: 'list-a', maxResults: 101 })),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
  });
});
