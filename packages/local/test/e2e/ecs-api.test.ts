import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSServiceException,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, rejectionOf, startHarness } from './helpers.js';

const ECS_ARN = 'arn:aws:ecs:us-east-1:111122223333';
const TARGET_GROUP =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-blue/0123456789abcdef';

function webDefinition(image: string): RegisterTaskDefinitionCommandInput {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'web', image, portMappings: [{ containerPort: 8080 }] }],
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { maxAttempts: 1 });
});
beforeEach(() => h.server.setFaults([]));
afterAll(() => h.close());

describe('task definitions', () => {
  it('numbers revisions per family and describes them by family, family:revision or ARN', async () => {
    const first = await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition('registry/web:1')));
    const second = await h.ecs.send(
      new RegisterTaskDefinitionCommand({
        ...webDefinition('registry/web:2'),
        tags: [{ key: 'team', value: 'a' }],
      }),
    );
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: `${ECS_ARN}:task-definition/web:1`,
      family: 'web',
      revision: 1,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      containerDefinitions: [
        {
          name: 'web',
          image: 'registry/web:1',
          essential: true,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        },
      ],
    });
    expect(first.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(second.taskDefinition?.revision).toBe(2);
    expect(second.tags).toEqual([{ key: 'team', value: 'a' }]);

    const latest = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.containerDefinitions?.[0]?.image).toBe('registry/web:2');
    const byRevision = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(byRevision.taskDefinition?.revision).toBe(1);
    const byArn = await h.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${ECS_ARN}:task-definition/web:2` }),
    );
    expect(byArn.taskDefinition?.revision).toBe(2);
  });

  it('answers an unknown task definition or an invalid one with ClientException', async () => {
    const unknown = await rejectionOf(
      h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:3' })),
    );
    expect(unknown).toBeInstanceOf(ClientException);
    expect(unknown).toBeInstanceOf(ECSServiceException);
    expect(unknown.message).toBe('Unable to describe task definition.');
    const empty = await rejectionOf(
      h.ecs.send(new RegisterTaskDefinitionCommand({ family: 'empty', containerDefinitions: [] })),
    );
    expect(empty).toBeInstanceOf(ClientException);
    expect(empty.message).toBe('Container list cannot be empty.');
    const bridgeOnFargate = await rejectionOf(
      h.ecs.send(new RegisterTaskDefinitionCommand({ ...webDefinition('x'), networkMode: 'bridge' })),
    );
    expect(bridgeOnFargate.message).toBe("Fargate only supports network mode 'awsvpc'.");
    // A rejected registration takes no revision number.
    const next = await h.ecs.send(
      new RegisterTaskDefinitionCommand({ ...webDefinition('x'), family: 'empty' }),
    );
    expect(next.taskDefinition?.revision).toBe(1);
  });
});

describe('services', () => {
  it('creates a CODE_DEPLOY service with one PRIMARY task set at 100 %, as ECS does', async () => {
    await h.ecs.send(new CreateClusterCommand({ clusterName: 'shop' }));
    await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition('registry/web:1')));
    const network = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };
    const created = await h.ecs.send(
      new CreateServiceCommand({
        cluster: 'shop',
        serviceName: 'web',
        taskDefinition: 'web',
        desiredCount: 3,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }],
      }),
    );
    const latestWeb = (await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' })))
      .taskDefinition;
    expect(created.service).toMatchObject({
      serviceArn: `${ECS_ARN}:service/shop/web`,
      clusterArn: `${ECS_ARN}:cluster/shop`,
      status: 'ACTIVE',
      desiredCount: 3,
      runningCount: 3,
      taskDefinition: latestWeb?.taskDefinitionArn,
      deploymentController: { type: 'CODE_DEPLOY' },
      deployments: [],
    });

    const described = await h.ecs.send(
      new DescribeServicesCommand({ cluster: 'shop', services: ['web', 'gone'] }),
    );
    expect(described.failures).toEqual([{ arn: `${ECS_ARN}:service/shop/gone`, reason: 'MISSING' }]);
    const [service] = described.services ?? [];
    expect(service?.taskSets).toHaveLength(1);
    expect(service?.taskSets?.[0]).toMatchObject({
      id: expect.stringMatching(/^ecs-svc\/\d{19}$/),
      status: 'PRIMARY',
      taskDefinition: latestWeb?.taskDefinitionArn,
      scale: { value: 100, unit: 'PERCENT' },
      computedDesiredCount: 3,
      runningCount: 3,
      launchType: 'FARGATE',
      networkConfiguration: network,
      loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }],
      stabilityStatus: 'STEADY_STATE',
    });
    expect(service?.createdAt).toBeInstanceOf(Date);
    // By ARN too.
    const byArn = await h.ecs.send(
      new DescribeServicesCommand({
        cluster: `${ECS_ARN}:cluster/shop`,
        services: [`${ECS_ARN}:service/shop/web`],
      }),
    );
    expect(byArn.services?.[0]?.serviceName).toBe('web');
  });

  it('shows the task sets CodeDeploy creates and shifts through the runtime', async () => {
    const seeded = h.server.compute.putService('bluegreen', {
      name: 'api',
      taskDefinition: {
        family: 'api',
        containerDefinitions: [
          { name: 'api', image: 'registry/api:1', portMappings: [{ containerPort: 80 }] },
        ],
      },
      desiredCount: 4,
      targetGroups: ['api-blue', 'api-green'],
    });
    const v2 = h.server.compute.registerTaskDefinition({
      family: 'api',
      containerDefinitions: [{ name: 'api', image: 'registry/api:2', portMappings: [{ containerPort: 80 }] }],
    });
    const ecs = h.server.compute.runtime.ecs;
    const green = ecs.createTaskSet('bluegreen', 'api', {
      taskDefinition: v2.taskDefinitionArn ?? '',
      externalId: 'd-EXAMPLE01',
      loadBalancers: [{ targetGroupArn: seeded.targetGroupArns[1], containerName: 'api', containerPort: 80 }],
    });
    ecs.setTaskSetTraffic('bluegreen', 'api', green.id ?? '', 10);
    ecs.setTaskSetTraffic('bluegreen', 'api', seeded.taskSetId ?? '', 90);

    const during = (
      await h.ecs.send(new DescribeServicesCommand({ cluster: 'bluegreen', services: ['api'] }))
    ).services?.[0];
    expect(during?.taskSets?.map((t) => [t.status, t.scale?.value, t.runningCount, t.externalId])).toEqual([
      ['PRIMARY', 100, 4, undefined],
      ['ACTIVE', 10, 1, 'd-EXAMPLE01'],
    ]);
    expect(during?.runningCount).toBe(5);
    expect(ecs.service('bluegreen', 'api')?.trafficWeights).toEqual({
      [seeded.taskSetId ?? '']: 90,
      [green.id ?? '']: 10,
    });

    ecs.setTaskSetTraffic('bluegreen', 'api', green.id ?? '', 100);
    ecs.setTaskSetTraffic('bluegreen', 'api', seeded.taskSetId ?? '', 0);
    ecs.makePrimary('bluegreen', 'api', green.id ?? '');
    ecs.deleteTaskSet('bluegreen', 'api', seeded.taskSetId ?? '');
    const after = (await h.ecs.send(new DescribeServicesCommand({ cluster: 'bluegreen', services: ['api'] })))
      .services?.[0];
    expect(after?.taskDefinition).toBe(v2.taskDefinitionArn);
    expect(after?.taskSets?.map((t) => [t.id, t.status, t.runningCount])).toEqual([[green.id, 'PRIMARY', 4]]);
  });

  it('refuses services the way ECS does', async () => {
    await h.ecs.send(new CreateClusterCommand({ clusterName: 'strict' }));
    await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition('registry/web:1')));
    const base = {
      cluster: 'strict',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 1,
      deploymentController: { type: 'CODE_DEPLOY' as const },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
    };
    const wrongContainer = await rejectionOf(
      h.ecs.send(
        new CreateServiceCommand({
          ...base,
          loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'db', containerPort: 8080 }],
        }),
      ),
    );
    expect(wrongContainer).toBeInstanceOf(InvalidParameterException);
    expect(wrongContainer.message).toBe('The container db does not exist in the task definition.');
    const wrongPort = await rejectionOf(
      h.ecs.send(
        new CreateServiceCommand({
          ...base,
          loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 80 }],
        }),
      ),
    );
    expect(wrongPort.message).toBe('The container web did not have a container port 80 defined.');
    const noNetwork = await rejectionOf(
      h.ecs.send(new CreateServiceCommand({ ...base, networkConfiguration: undefined })),
    );
    expect(noNetwork.message).toBe(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    const unknownDefinition = await rejectionOf(
      h.ecs.send(new CreateServiceCommand({ ...base, taskDefinition: 'nope' })),
    );
    expect(unknownDefinition.message).toBe('TaskDefinition not found.');

    await h.ecs.send(new CreateServiceCommand(base));
    const again = await rejectionOf(h.ecs.send(new CreateServiceCommand(base)));
    expect(again).toBeInstanceOf(InvalidParameterException);
    expect(again.message).toBe('Creation of service was not idempotent.');
    const noCluster = await rejectionOf(
      h.ecs.send(new CreateServiceCommand({ ...base, cluster: 'elsewhere' })),
    );
    expect(noCluster).toBeInstanceOf(ClusterNotFoundException);
  });

  it('answers DescribeServices on an unknown cluster with ClusterNotFoundException and unknown clusters as MISSING', async () => {
    const error = await rejectionOf(
      h.ecs.send(new DescribeServicesCommand({ cluster: 'nowhere', services: ['x'] })),
    );
    expect(error).toBeInstanceOf(ClusterNotFoundException);
    expect(error.message).toBe('Cluster not found.');
    await h.ecs.send(new CreateClusterCommand({ clusterName: 'known' }));
    const clusters = await h.ecs.send(new DescribeClustersCommand({ clusters: ['known', 'unknown'] }));
    expect(clusters.clusters?.map((c) => [c.clusterName, c.status])).toEqual([['known', 'ACTIVE']]);
    expect(clusters.failures).toEqual([{ arn: `${ECS_ARN}:cluster/unknown`, reason: 'MISSING' }]);
  });

  it('throttles ECS operations named ECS:<Operation> in fault rules', async () => {
    h.server.setFaults([{ operation: 'ECS:DescribeClusters', throttle: 1 }]);
    const error = await rejectionOf(h.ecs.send(new DescribeClustersCommand({})));
    expect(error.name).toBe('ThrottlingException');
    await expect(
      h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' })),
    ).resolves.toBeDefined();
  });
});
