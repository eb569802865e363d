import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { makeFifo } from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { type DeployOptions, deployAndGate } from './deploy.js';
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

const LAMBDA_APPSPEC = `version: 0.0
Resources:
  - checkout:
      Type: AWS::Lambda::Function
      Properties:
        Name: checkout
        Alias: live
        CurrentVersion: "1"
        TargetVersion: "2"
`;

describe('deployAndGate hostile-input: every local check runs before the first request', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'cdg-deploy-local-'));
    await mkdir(join(work, 'app'));
    await writeFile(
      join(work, 'app', 'appspec.yml'),
      'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start.sh\n',
    );
    await mkdir(join(work, 'good'));
    await writeFile(join(work, 'good', 'appspec.yml'), 'version: 0.0\nos: linux\n');
    await mkdir(join(work, 'lambda-app'));
    await writeFile(join(work, 'lambda-app', 'appspec.yml'), LAMBDA_APPSPEC);
    await writeFile(join(work, 'server.yml'), 'version: 0.0\nos: linux\n');
    await writeFile(join(work, 'code.zip'), 'not a zip');
    await writeFile(join(work, 'taskdef.json'), '{"family": "web", "containerDefinitions": [');
    makeFifo(join(work, 'pipe'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const cases: Array<[string, () => DeployOptions['source'], RegExp, Partial<DeployOptions>?]> = [
    [
      'a folder that does not exist',
      () => ({ kind: 'folder', dir: join(work, 'no-such-app'), s3Location: 's3://bucket/p' }),
      /Cannot read the revision folder .*no-such-app/,
    ],
    [
      'a folder whose appspec names a missing script',
      () => ({ kind: 'folder', dir: join(work, 'app'), s3Location: 's3://bucket/p' }),
      /appspec\.yml is not a valid appspec: 1 error/,
    ],
    [
      'a folder holding a Lambda AppSpec',
      () => ({ kind: 'folder', dir: join(work, 'lambda-app'), s3Location: 's3://bucket/p' }),
      /appspec\.yml in .*lambda-app is a Lambda AppSpec, and a folder revision deploys to EC2\/on-premises instances/,
    ],
    [
      'a folder with an invalid S3 location',
      () => ({ kind: 'folder', dir: join(work, 'good'), s3Location: 'https://bucket/p' }),
      /s3:\/\//,
    ],
    [
      'an AppSpec file that is a pipe',
      () => ({ kind: 'appspec', file: join(work, 'pipe') }),
      /is a named pipe \(FIFO\)/,
    ],
    [
      'an EC2 appspec as an AppSpec revision',
      () => ({ kind: 'appspec', file: join(work, 'server.yml') }),
      /names no AWS::Lambda::Function or AWS::ECS::Service/,
    ],
    [
      'a Lambda code package that is not a zip',
      () => ({ kind: 'lambda', functionName: 'f', alias: 'live', zipFile: join(work, 'code.zip') }),
      /code\.zip is not a zip archive/,
    ],
    [
      'a task definition file that is cut short',
      () => ({ kind: 'ecs', taskDefinitionFile: join(work, 'taskdef.json') }),
      /taskdef\.json/,
    ],
    ['an S3 bundle with no key', () => ({ kind: 's3', url: 's3://bucket' }), /names a bucket but no object/],
    [
      'a GitHub repository that is not OWNER/REPO',
      () => ({ kind: 'github', repository: 'not a repo', commitId: 'abc1234' }),
      /is not OWNER\/REPO/,
    ],
    [
      'an empty application name',
      () => ({ kind: 's3', url: 's3://bucket/app.zip' }),
      /the application name is empty/,
      { application: ' ' },
    ],
  ];

  it.each(cases)('%s: exit 2, no request', async (_name, source, message, extra = {}) => {
    const { calls, clients } = recordingClients('Server');
    const error = await deployAndGate({
      region: 'us-east-1',
      application: 'app',
      deploymentGroup: 'group',
      source: source(),
      clients,
      ...extra,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect(calls).toEqual([]);
  });
});
