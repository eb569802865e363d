import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from './inputs.js';

const GROUP = { application: 'checkout', 'deployment-group': 'live' };
const LAMBDA = { ...GROUP, 'lambda-function': 'checkout', 'lambda-alias': 'live' };

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gh-compute-inputs-'));
  await writeFile(join(workspace, 'build.zip'), 'PK\u0003\u0004');
  await writeFile(
    join(workspace, 'taskdef.json'),
    JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'shop/web:1' }] }),
  );
  await writeFile(join(workspace, 'broken.json'), '{"family": "web",');
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** Sets the INPUT_* variables the runner would set for `with:`, for one test. */
function withInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

afterEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

describe('Lambda and ECS inputs', () => {
  it('reads a Lambda alias shift to a new code package, with hooks and the AppSpec format', () => {
    withInputs({
      ...LAMBDA,
      'lambda-zip': 'build.zip',
      hooks:
        'BeforeAllowTraffic=checkout-pre\n# smoke test after the shift\nAfterAllowTraffic = checkout-smoke',
      'appspec-format': 'JSON',
    });
    expect(readInputs(workspace).revision).toEqual({
      kind: 'lambda',
      functionName: 'checkout',
      alias: 'live',
      zipFile: join(workspace, 'build.zip'),
      hooks: { BeforeAllowTraffic: 'checkout-pre', AfterAllowTraffic: 'checkout-smoke' },
      appspecFormat: 'json',
    });
    withInputs({ 'lambda-zip': '', hooks: '', 'appspec-format': '', 'lambda-version': '7' });
    expect(readInputs(workspace).revision).toEqual({
      kind: 'lambda',
      functionName: 'checkout',
      alias: 'live',
      targetVersion: '7',
    });
  });

  it('reads an ECS service update: images, container, network and capacity providers', () => {
    withInputs({
      ...GROUP,
      'ecs-service': 'prod/web',
      'ecs-images': 'web=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2\nlog-router = fluent/bit:3',
      'ecs-container': 'web',
      'ecs-port': '8080',
      'ecs-platform-version': 'LATEST',
      'ecs-subnets': 'subnet-1, subnet-2',
      'ecs-security-groups': 'sg-1',
      'ecs-assign-public-ip': 'disabled',
      'ecs-capacity-providers': 'FARGATE:1:1\nFARGATE_SPOT::3',
      hooks: 'AfterAllowTestTraffic=web-test-traffic',
    });
    expect(readInputs(workspace).revision).toEqual({
      kind: 'ecs',
      cluster: 'prod',
      service: 'web',
      images: { web: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2', 'log-router': 'fluent/bit:3' },
      containerName: 'web',
      containerPort: 8080,
      platformVersion: 'LATEST',
      networkConfiguration: {
        subnets: ['subnet-1', 'subnet-2'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'DISABLED',
      },
      capacityProviderStrategy: [
        { provider: 'FARGATE', base: 1, weight: 1 },
        { provider: 'FARGATE_SPOT', weight: 3 },
      ],
      hooks: { AfterAllowTestTraffic: 'web-test-traffic' },
    });
  });

  it('takes images alone (the group’s service) and a task definition file with an image for one of its containers', () => {
    withInputs({ ...GROUP, 'ecs-images': 'web=shop/web:2' });
    expect(readInputs(workspace).revision).toEqual({ kind: 'ecs', images: { web: 'shop/web:2' } });
    withInputs({ 'ecs-task-definition': 'taskdef.json' });
    expect(readInputs(workspace).revision).toEqual({
      kind: 'ecs',
      taskDefinitionFile: join(workspace, 'taskdef.json'),
      images: { web: 'shop/web:2' },
    });
  });

  it.each([
    [
      { ...LAMBDA, 'lambda-zip': 'build.zip', 'lambda-version': '3' },
      /input "lambda-zip" cannot be combined with input "lambda-version"/,
    ],
    [{ ...LAMBDA, 'lambda-version': '$LATEST' }, /input "lambda-version" must be a published version number/],
    [
      { ...LAMBDA, 'lambda-zip': 'missing.zip' },
      /input "lambda-zip" names missing.zip, which does not exist/,
    ],
    [{ ...GROUP, 'lambda-function': 'checkout' }, /input "lambda-alias" is required here/],
    [{ ...GROUP, 'lambda-alias': 'live' }, /input "lambda-function" is required here/],
    [
      { ...LAMBDA, hooks: 'AfterAllowTestTraffic=check' },
      /input "hooks" names AfterAllowTestTraffic, which is not a hook event of Lambda/,
    ],
    [
      { ...LAMBDA, hooks: 'AllowTraffic=check' },
      /input "hooks" names AllowTraffic, which is not a hook event/,
    ],
    [
      { ...LAMBDA, hooks: 'BeforeAllowTraffic' },
      /input "hooks" has "BeforeAllowTraffic", not EVENT=FUNCTION/,
    ],
    [
      { ...LAMBDA, hooks: 'BeforeAllowTraffic=a\nBeforeAllowTraffic=b' },
      /input "hooks" names BeforeAllowTraffic twice/,
    ],
    [{ ...LAMBDA, 'appspec-format': 'toml' }, /input "appspec-format" is "toml"/],
    [{ ...LAMBDA, 'ecs-images': 'web=x' }, /input "ecs-images" cannot be combined with lambda-function/],
    [
      { ...LAMBDA, appspec: 'appspec.yaml' },
      /input "lambda-function" builds the Lambda revision .* cannot be combined with appspec/,
    ],
    [{ ...LAMBDA, 's3-bucket': 'b' }, /cannot be combined with s3-bucket/],
    [{ ...LAMBDA, 'revision-type': 'github' }, /cannot be combined with revision-type github/],
    [{ ...LAMBDA, 'revision-path': 'deploy' }, /cannot be combined with revision-path/],
    [
      { ...GROUP, 's3-bucket': 'b', hooks: 'AfterAllowTraffic=x' },
      /input "hooks" only applies to a revision the action builds/,
    ],
    [{ ...GROUP, 'ecs-service': 'web' }, /input "ecs-service" is "web", not CLUSTER\/SERVICE/],
    [{ ...GROUP, 'ecs-port': '99999' }, /input "ecs-port" must be a port number/],
    [{ ...GROUP, 'ecs-images': 'web' }, /input "ecs-images" has "web", not CONTAINER=IMAGE/],
    [
      { ...GROUP, 'ecs-images': 'api=shop/api:2', 'ecs-task-definition': 'taskdef.json' },
      /input "ecs-images" does not fit the task definition: no container "api" in taskdef.json .* it has container web/,
    ],
    [
      { ...GROUP, 'ecs-task-definition': 'broken.json' },
      /input "ecs-task-definition" is not a task definition to register: broken.json is not valid JSON/,
    ],
    [{ ...GROUP, 'ecs-security-groups': 'sg-1' }, /input "ecs-security-groups" needs input "ecs-subnets"/],
    [{ ...GROUP, 'ecs-subnets': 'subnet-1' }, /input "ecs-subnets" needs input "ecs-security-groups"/],
    [
      { ...GROUP, 'ecs-assign-public-ip': 'yes', 'ecs-subnets': 's', 'ecs-security-groups': 'g' },
      /input "ecs-assign-public-ip" is "yes"/,
    ],
    [
      { ...GROUP, 'ecs-capacity-providers': 'FARGATE:x' },
      /input "ecs-capacity-providers" has "FARGATE:x": BASE must be a whole number/,
    ],
    [
      { ...GROUP, 'ecs-images': 'web=x', hooks: 'BeforeAllowTraffic=ok\nValidateService=check' },
      /input "hooks" names ValidateService, which is not a hook event of ECS/,
    ],
  ])('rejects %j, naming the input', (inputs, message) => {
    withInputs(inputs);
    expect(() => readInputs(workspace)).toThrow(message);
    expect(() => readInputs(workspace)).toThrow(/nothing was created$/);
  });
});
