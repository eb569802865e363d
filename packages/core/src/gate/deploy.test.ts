import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { deployAndGate } from './deploy.js';
import { DeploymentGroupBusyError } from './errors.js';

/** A CodeDeploy that knows one application (of `platform`) and one group, and records every call. */
function recordingClients(
  platform: 'Server' | 'Lambda' | 'ECS',
  answers: { configPlatform?: string; active?: string[] } = {},
) {
  const calls: string[] = [];
  const record = (service: string) =>
    ({
      send: async (command: { constructor: { name: string } }) => {
        const name = `${service}:${command.constructor.name.replace(/Command$/, '')}`;
        calls.push(name);
        if (name === 'CodeDeploy:GetApplication') return { application: { computePlatform: platform } };
        if (name === 'CodeDeploy:GetDeploymentGroup') return { deploymentGroupInfo: {} };
        if (name === 'CodeDeploy:GetDeploymentConfig')
          return { deploymentConfigInfo: { computePlatform: answers.configPlatform } };
        if (name === 'CodeDeploy:ListDeployments') return { deployments: answers.active ?? [] };
        throw new Error(`unexpected ${name}`);
      },
      destroy: () => {},
    }) as never;
  return {
    calls,
    clients: {
      codeDeploy: record('CodeDeploy') as CodeDeployClient,
      lambda: record('Lambda') as LambdaClient,
      ecs: record('ECS') as ECSClient,
    },
  };
}

describe('deployAndGate with Lambda and ECS sources', () => {
  it.each([
    [
      'Server',
      { kind: 'lambda', functionName: 'checkout', alias: 'live' },
      'a Lambda function revision needs a Lambda application; this one uses the Server compute platform',
    ],
    [
      'ECS',
      { kind: 'lambda', functionName: 'checkout', alias: 'live' },
      'a Lambda function revision needs a Lambda application; this one uses the ECS compute platform',
    ],
    [
      'Lambda',
      { kind: 'ecs' },
      'an ECS service revision needs an ECS application; this one uses the Lambda compute platform',
    ],
    [
      'Lambda',
      { kind: 's3', url: 's3://releases/checkout.zip' },
      'application uses the Lambda compute platform, which deploys an AppSpec, not a zip bundle (s3://releases/checkout.zip)',
    ],
  ] as const)(
    'refuses a revision that does not fit a %s application before touching Lambda or ECS',
    async (platform, source, message) => {
      const { calls, clients } = recordingClients(platform);

      const error = await deployAndGate({
        region: 'us-east-1',
        application: 'app',
        deploymentGroup: 'group',
        source,
        clients,
      }).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).message).toContain(message);
      expect((error as InvalidInputError).message).toContain('nothing was created');
      expect(calls).toEqual(['CodeDeploy:GetApplication', 'CodeDeploy:GetDeploymentGroup']);
    },
  );
});

describe('deployAndGate before building a Lambda or ECS revision', () => {
  const lambdaSource = { kind: 'lambda', functionName: 'checkout', alias: 'live' } as const;

  it('refuses a deployment config of another platform before publishing anything', async () => {
    const { calls, clients } = recordingClients('Lambda', { configPlatform: 'Server' });
    const error = await deployAndGate({
      region: 'us-east-1',
      application: 'app',
      deploymentGroup: 'group',
      deploymentConfig: 'CodeDeployDefault.OneAtATime',
      source: lambdaSource,
      clients,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      'deployment configuration "CodeDeployDefault.OneAtATime" is for the Server compute platform, and this application uses Lambda; nothing was created',
    );
    expect(calls.some((call) => call.startsWith('Lambda:'))).toBe(false);
  });

  it('refuses a busy group (without --queue) before publishing anything', async () => {
    const { calls, clients } = recordingClients('Lambda', { active: ['d-ACTIVE123'] });
    const error = await deployAndGate({
      region: 'us-east-1',
      application: 'app',
      deploymentGroup: 'group',
      source: lambdaSource,
      clients,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeploymentGroupBusyError);
    expect((error as DeploymentGroupBusyError).activeDeploymentId).toBe('d-ACTIVE123');
    expect(calls).toEqual([
      'CodeDeploy:GetApplication',
      'CodeDeploy:GetDeploymentGroup',
      'CodeDeploy:ListDeployments',
    ]);
  });

  it('refuses continue-after for a Lambda application: it would never run', async () => {
    const { calls, clients } = recordingClients('Lambda');
    const error = await deployAndGate({
      region: 'us-east-1',
      application: 'app',
      deploymentGroup: 'group',
      source: lambdaSource,
      continueAfter: './smoke-test.sh',
      clients,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('a continue-after check never runs for a Lambda deployment');
    expect(calls.some((call) => call.startsWith('Lambda:'))).toBe(false);
  });
});
