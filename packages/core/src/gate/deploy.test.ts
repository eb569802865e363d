import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { deployAndGate } from './deploy.js';

/** A CodeDeploy that knows one application (of `platform`) and one group, and records every call. */
function recordingClients(platform: 'Server' | 'Lambda' | 'ECS') {
  const calls: string[] = [];
  const record = (service: string) =>
    ({
      send: async (command: { constructor: { name: string } }) => {
        const name = `${service}:${command.constructor.name.replace(/Command$/, '')}`;
        calls.push(name);
        if (name === 'CodeDeploy:GetApplication') return { application: { computePlatform: platform } };
        if (name === 'CodeDeploy:GetDeploymentGroup') return { deploymentGroupInfo: {} };
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
