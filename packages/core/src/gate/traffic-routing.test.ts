import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { TrafficRoutingLookup } from './traffic-routing.js';

function configService() {
  const asked: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: { deploymentConfigName: string } }) => {
      asked.push(command.input.deploymentConfigName);
      if (command.input.deploymentConfigName === 'Gone') {
        throw Object.assign(new Error('no such config'), { name: 'DeploymentConfigDoesNotExistException' });
      }
      return {
        deploymentConfigInfo: {
          trafficRoutingConfig: {
            type: 'TimeBasedLinear',
            timeBasedLinear: { linearPercentage: 25, linearInterval: 2 },
          },
        },
      };
    },
  } as unknown as CodeDeployClient;
  return { client, asked };
}

const lambdaDeployment = (config: string): DeploymentInfo => ({
  deploymentId: 'd-1',
  computePlatform: 'Lambda',
  deploymentConfigName: config,
});

describe('TrafficRoutingLookup', () => {
  it('knows the predefined Lambda and ECS configurations without a call', async () => {
    const { client, asked } = configService();
    const lookup = new TrafficRoutingLookup(client);

    expect(await lookup.of(lambdaDeployment('CodeDeployDefault.LambdaCanary10Percent5Minutes'))).toEqual({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
    });
    expect(
      await lookup.of({
        computePlatform: 'ECS',
        deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      }),
    ).toEqual({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } });
    expect(asked).toEqual([]);
  });

  it('reads a custom configuration once however often it is asked', async () => {
    const { client, asked } = configService();
    const lookup = new TrafficRoutingLookup(client);

    const answers = await Promise.all([
      lookup.of(lambdaDeployment('Custom25')),
      lookup.of(lambdaDeployment('Custom25')),
    ]);

    expect(answers[0]).toEqual({
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 25, linearInterval: 2 },
    });
    expect(answers[1]).toBe(answers[0]);
    expect(asked).toEqual(['Custom25']);
  });

  it('asks nothing for EC2/on-premises deployments and answers undefined when the lookup fails', async () => {
    const { client, asked } = configService();
    const lookup = new TrafficRoutingLookup(client);

    expect(
      await lookup.of({ computePlatform: 'Server', deploymentConfigName: 'CodeDeployDefault.OneAtATime' }),
    ).toBeUndefined();
    expect(await lookup.of(lambdaDeployment('Gone'))).toBeUndefined();
    expect(asked).toEqual(['Gone']);
  });
});
