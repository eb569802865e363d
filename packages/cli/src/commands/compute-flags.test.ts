import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@codedeploy-gate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { assertNoComputeOnlyFlags, computeSourceFlag, ecsSourceOf, lambdaSourceOf } from './compute-flags.js';

const dir = mkdtempSync(join(tmpdir(), 'compute-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'build.zip'), 'PK\x05\x06');
writeFileSync(
  join(dir, 'taskdef.json'),
  JSON.stringify({
    family: 'web',
    containerDefinitions: [
      { name: 'web', image: 'web:1', portMappings: [{ containerPort: 8080 }] },
      { name: 'envoy', image: 'envoy:1' },
    ],
  }),
);

/** The InvalidInputError `run` throws: its message and hint. */
function refusal(run: () => unknown): { message: string; hint: string | undefined } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return { message: (error as Error).message, hint: (error as InvalidInputError).hint };
  }
  throw new Error('expected an InvalidInputError');
}

describe('Lambda flags', () => {
  it('build a Lambda revision source with the zip resolved against the working directory', () => {
    expect(
      lambdaSourceOf(
        {
          'lambda-function': 'orders',
          'lambda-alias': 'live',
          'lambda-zip': 'build.zip',
          hook: [
            'BeforeAllowTraffic=orders-pre',
            'AfterAllowTraffic=arn:aws:lambda:eu-west-1:1:function:post',
          ],
          'appspec-format': 'json',
        },
        dir,
      ),
    ).toEqual({
      kind: 'lambda',
      functionName: 'orders',
      alias: 'live',
      zipFile: join(dir, 'build.zip'),
      hooks: {
        BeforeAllowTraffic: 'orders-pre',
        AfterAllowTraffic: 'arn:aws:lambda:eu-west-1:1:function:post',
      },
      appspecFormat: 'json',
    });
    expect(
      lambdaSourceOf({ 'lambda-function': 'orders', 'lambda-alias': 'live', 'lambda-version': '7' }, dir),
    ).toEqual({ kind: 'lambda', functionName: 'orders', alias: 'live', targetVersion: '7' });
  });

  it.each([
    [{ 'lambda-alias': undefined }, /--lambda-alias is required here/, /e\.g\. live/],
    [{ 'lambda-function': undefined }, /--lambda-function is required here/, /name or ARN/],
    [
      { 'lambda-version': '$LATEST' },
      /--lambda-version must be a published version number, not "\$LATEST"/,
      /such as 7/,
    ],
    [{ 'lambda-version': '0' }, /not "0"/, /number/],
    [
      { 'lambda-version': '3', 'lambda-zip': 'build.zip' },
      /--lambda-zip cannot be combined with --lambda-version/,
      /Drop --lambda-version to publish the zip/,
    ],
    [
      { 'lambda-zip': 'missing.zip' },
      /--lambda-zip names missing\.zip, which does not exist/,
      /relative paths start at/,
    ],
    [{ 'lambda-zip': '.' }, /--lambda-zip names \., which is not a file/, /the file itself/],
    [
      { hook: ['AfterAllowTestTraffic=check'] },
      /--hook names AfterAllowTestTraffic, which is not a hook event of Lambda/,
      /BeforeAllowTraffic, AfterAllowTraffic/,
    ],
    [
      { hook: ['AfterAllowTraffic'] },
      /--hook has "AfterAllowTraffic", not EVENT=FUNCTION/,
      /AfterAllowTraffic=my-check-function/,
    ],
    [
      { hook: ['AfterAllowTraffic=a', 'AfterAllowTraffic=b'] },
      /--hook names AfterAllowTraffic twice/,
      /Give each event once/,
    ],
    [{ 'appspec-format': 'yml' }, /--appspec-format is "yml"/, /yaml/],
  ])('refuse %o, naming the flag and what to do', (values, message, hint) => {
    const refused = refusal(() =>
      lambdaSourceOf({ 'lambda-function': 'orders', 'lambda-alias': 'live', ...values }, dir),
    );
    expect(refused.message).toMatch(message);
    expect(refused.hint).toMatch(hint);
  });
});

describe('ECS flags', () => {
  it('build an ECS revision source from every option', () => {
    expect(
      ecsSourceOf(
        {
          'ecs-task-definition': 'taskdef.json',
          'ecs-service': 'prod/web',
          'ecs-image': ['web=registry/web:2', 'envoy=registry/envoy:2'],
          'ecs-container': 'web',
          'ecs-port': '8080',
          'ecs-platform-version': '1.4.0',
          'ecs-subnets': 'subnet-a, subnet-b',
          'ecs-security-groups': 'sg-1',
          'ecs-assign-public-ip': 'ENABLED',
          'ecs-capacity-provider': ['FARGATE:1:1', 'FARGATE_SPOT::3', 'ON_DEMAND'],
          hook: ['AfterAllowTestTraffic=smoke', 'BeforeInstall=prepare'],
        },
        dir,
      ),
    ).toEqual({
      kind: 'ecs',
      taskDefinitionFile: join(dir, 'taskdef.json'),
      cluster: 'prod',
      service: 'web',
      images: { web: 'registry/web:2', envoy: 'registry/envoy:2' },
      containerName: 'web',
      containerPort: 8080,
      platformVersion: '1.4.0',
      networkConfiguration: {
        subnets: ['subnet-a', 'subnet-b'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'ENABLED',
      },
      capacityProviderStrategy: [
        { provider: 'FARGATE', base: 1, weight: 1 },
        { provider: 'FARGATE_SPOT', weight: 3 },
        { provider: 'ON_DEMAND' },
      ],
      hooks: { AfterAllowTestTraffic: 'smoke', BeforeInstall: 'prepare' },
    });
  });

  it('take a service ARN for --ecs-service', () => {
    expect(
      ecsSourceOf({ 'ecs-service': 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web' }, dir),
    ).toMatchObject({ cluster: 'prod', service: 'web' });
  });

  it.each([
    [{ 'ecs-service': 'web' }, /--ecs-service is "web", not CLUSTER\/SERVICE/],
    [{ 'ecs-service': 'a/b/c' }, /--ecs-service is "a\/b\/c", not CLUSTER\/SERVICE/],
    [{ 'ecs-service': 'p/w', 'ecs-image': ['=x:2'] }, /--ecs-image has "=x:2", not CONTAINER=IMAGE/],
    [{ 'ecs-service': 'p/w', 'ecs-image': ['web=a', 'web=b'] }, /--ecs-image names web twice/],
    [
      { 'ecs-task-definition': 'taskdef.json', 'ecs-image': ['api=x:2'] },
      /--ecs-image does not fit the task definition: no container "api" in taskdef\.json .*it has containers web \(port 8080\), envoy/,
    ],
    [{ 'ecs-task-definition': 'build.zip' }, /build\.zip is not valid JSON/],
    [{ 'ecs-service': 'p/w', 'ecs-port': '0' }, /--ecs-port must be a port number from 1 to 65535, not "0"/],
    [{ 'ecs-service': 'p/w', 'ecs-port': '80x' }, /not "80x"/],
    [{ 'ecs-service': 'p/w', 'ecs-security-groups': 'sg-1' }, /--ecs-security-groups needs --ecs-subnets/],
    [
      { 'ecs-service': 'p/w', 'ecs-assign-public-ip': 'ENABLED' },
      /--ecs-assign-public-ip needs --ecs-subnets/,
    ],
    [{ 'ecs-service': 'p/w', 'ecs-subnets': 'subnet-1' }, /--ecs-subnets needs --ecs-security-groups/],
    [
      { 'ecs-service': 'p/w', 'ecs-subnets': ' , ', 'ecs-security-groups': 'sg' },
      /--ecs-subnets names nothing/,
    ],
    [
      {
        'ecs-service': 'p/w',
        'ecs-subnets': 's',
        'ecs-security-groups': 'sg',
        'ecs-assign-public-ip': 'yes',
      },
      /--ecs-assign-public-ip is "yes"/,
    ],
    [
      { 'ecs-service': 'p/w', 'ecs-capacity-provider': [':1'] },
      /--ecs-capacity-provider has ":1": no capacity provider name/,
    ],
    [{ 'ecs-service': 'p/w', 'ecs-capacity-provider': ['F:1:2:3'] }, /more than NAME:BASE:WEIGHT/],
    [
      { 'ecs-service': 'p/w', 'ecs-capacity-provider': ['F:x'] },
      /BASE must be a whole number from 0 to 100000/,
    ],
    [
      { 'ecs-service': 'p/w', 'ecs-capacity-provider': ['F:1:1001'] },
      /WEIGHT must be a whole number from 0 to 1000/,
    ],
    [
      { 'ecs-service': 'p/w', hook: ['AllowTraffic=fn'] },
      /--hook names AllowTraffic, which is not a hook event of ECS deployments/,
    ],
  ])('refuse %o, naming the flag', (values, message) => {
    const refused = refusal(() => ecsSourceOf(values, dir));
    expect(refused.message).toMatch(message);
    expect(refused.hint).toBeTruthy();
  });
});

describe('choosing the source', () => {
  it('names the source the flags describe, and refuses Lambda and ECS flags together', () => {
    expect(computeSourceFlag({ 'lambda-function': 'f' })).toBe('--lambda-function');
    expect(computeSourceFlag({ 'ecs-image': ['w=x'] })).toBe('--ecs-task-definition/--ecs-service');
    expect(computeSourceFlag({ hook: ['AfterAllowTraffic=f'] })).toBeUndefined();
    expect(refusal(() => computeSourceFlag({ 'lambda-alias': 'live', 'ecs-port': '80' })).message).toMatch(
      /--lambda-\* and --ecs-\* options do not go together/,
    );
  });

  it('refuses --hook and --appspec-format with any other source', () => {
    expect(() => assertNoComputeOnlyFlags({})).not.toThrow();
    const refused = refusal(() => assertNoComputeOnlyFlags({ hook: ['AfterAllowTraffic=f'] }));
    expect(refused.message).toMatch(/--hook applies only to a Lambda .* or ECS .* revision/);
    expect(refused.hint).toMatch(/declare the hooks in the file itself/);
  });
});
