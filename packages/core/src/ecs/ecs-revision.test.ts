import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { ecsRevision } from './ecs-revision.js';

/**
 * A scripted ECS: the end-to-end tests run the real SDK against the local ECS; these pin what is
 * registered (read-only fields dropped, images replaced, tags kept) and that every check comes first.
 */
function scriptedEcs() {
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      switch (name) {
        case 'DescribeServices':
          if ((command.input.services as string[])[0] !== 'web')
            return { services: [], failures: [{ reason: 'MISSING' }] };
          return {
            services: [
              {
                serviceName: 'web',
                status: 'ACTIVE',
                deploymentController: { type: 'CODE_DEPLOY' },
                taskSets: [
                  {
                    status: 'PRIMARY',
                    taskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:41',
                    loadBalancers: [
                      { targetGroupArn: 'arn:tg/blue', containerName: 'web', containerPort: 80 },
                    ],
                  },
                ],
              },
            ],
          };
        case 'DescribeTaskDefinition':
          return {
            taskDefinition: {
              taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:41',
              family: 'web',
              revision: 41,
              status: 'ACTIVE',
              compatibilities: ['FARGATE'],
              registeredAt: new Date(0),
              containerDefinitions: [
                { name: 'web', image: 'repo/web:1', portMappings: [{ containerPort: 80 }] },
                { name: 'log-router', image: 'fluent-bit:1' },
              ],
            },
            tags: [{ key: 'team', value: 'shop' }],
          };
        case 'RegisterTaskDefinition':
          return {
            taskDefinition: {
              ...command.input,
              taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:42',
              revision: 42,
            },
          };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  } as unknown as ECSClient;
  return { client, calls, names: () => calls.map((c) => c.name) };
}

const group = [{ clusterName: 'prod', serviceName: 'web' }];

async function failure(run: Promise<unknown>): Promise<InvalidInputError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof InvalidInputError) return error;
  throw new Error(`expected an InvalidInputError, got ${String(error)}`);
}

describe('ecsRevision', () => {
  it("registers the service's task definition with the new image and builds the AppSpec for the group's service", async () => {
    const ecs = scriptedEcs();
    const changes: string[] = [];

    const built = await ecsRevision(
      { kind: 'ecs', images: { web: 'repo/web:2' }, hooks: { AfterAllowTestTraffic: 'smoke' } },
      { ecs: ecs.client, groupServices: group, onChange: (detail) => changes.push(detail) },
    );

    expect(ecs.names()).toEqual(['DescribeServices', 'DescribeTaskDefinition', 'RegisterTaskDefinition']);
    expect(ecs.calls[1]?.input).toEqual({
      taskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:41',
      include: ['TAGS'],
    });
    expect(ecs.calls[2]?.input).toEqual({
      family: 'web',
      containerDefinitions: [
        { name: 'web', image: 'repo/web:2', portMappings: [{ containerPort: 80 }] },
        { name: 'log-router', image: 'fluent-bit:1' },
      ],
      tags: [{ key: 'team', value: 'shop' }],
    });
    expect(changes).toEqual(['registered task definition web:42 (web=repo/web:2)']);
    expect(built.ecs).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:42',
      taskDefinition: 'web:42',
      origin: 'service',
      containerName: 'web',
      containerPort: 80,
    });
    expect(built.appspec).toContain(
      'TaskDefinition: "arn:aws:ecs:us-east-1:111122223333:task-definition/web:42"',
    );
    expect(built.appspec).toContain('Hooks:\n  - AfterAllowTestTraffic: "smoke"\n');
  });

  it('registers a task definition file as given, with the container and port chosen from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdg-ecs-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'taskdef.json');
    await writeFile(
      file,
      JSON.stringify({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'repo/web:3', portMappings: [{ containerPort: 80 }] }],
      }),
    );
    const ecs = scriptedEcs();

    const built = await ecsRevision(
      { kind: 'ecs', taskDefinitionFile: file },
      { ecs: ecs.client, groupServices: group },
    );

    expect(ecs.names()).toEqual(['DescribeServices', 'RegisterTaskDefinition']);
    expect(built.ecs.origin).toBe('file');
  });

  it('registers nothing when an image override names a container the definition lacks', async () => {
    const ecs = scriptedEcs();

    const error = await failure(
      ecsRevision({ kind: 'ecs', images: { api: 'repo/api:2' } }, { ecs: ecs.client, groupServices: group }),
    );

    expect(error.message).toBe(
      `no container "api" in the service's task definition web:41 to give image repo/api:2; it has containers web (port 80), log-router (no ports)`,
    );
    expect(ecs.names()).not.toContain('RegisterTaskDefinition');
  });

  it('registers nothing when the AppSpec would be invalid (a platform version CodeDeploy refuses)', async () => {
    const ecs = scriptedEcs();

    const error = await failure(
      ecsRevision({ kind: 'ecs', platformVersion: '1.4' }, { ecs: ecs.client, groupServices: group }),
    );

    expect(error.message).toMatch(/^the AppSpec built for prod\/web is invalid: .*PlatformVersion/);
    expect(ecs.names()).not.toContain('RegisterTaskDefinition');
  });

  it('names a missing service', async () => {
    const ecs = scriptedEcs();

    const error = await failure(
      ecsRevision({ kind: 'ecs', cluster: 'prod', service: 'api' }, { ecs: ecs.client }),
    );

    expect(error.message).toBe('ECS service api does not exist in cluster prod; nothing was created');
  });
});
