import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { ecsSourceFrom } from './ecs-settings.js';
import { lambdaSourceFrom } from './lambda-settings.js';

const LAMBDA_NAMES = {
  functionName: '--lambda-function',
  alias: '--lambda-alias',
  version: '--lambda-version',
  zipFile: '--lambda-zip',
  hooks: '--hook',
  appspecFormat: '--appspec-format',
};
const ECS_NAMES = {
  taskDefinitionFile: 'input "ecs-task-definition"',
  service: 'input "ecs-service"',
  images: 'input "ecs-images"',
  container: 'input "ecs-container"',
  port: 'input "ecs-port"',
  platformVersion: 'input "ecs-platform-version"',
  subnets: 'input "ecs-subnets"',
  securityGroups: 'input "ecs-security-groups"',
  assignPublicIp: 'input "ecs-assign-public-ip"',
  capacityProviders: 'input "ecs-capacity-providers"',
  hooks: 'input "hooks"',
  appspecFormat: 'input "appspec-format"',
};

const dir = mkdtempSync(join(tmpdir(), 'revision-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'build.zip'), 'PK\u0003\u0004');
writeFileSync(
  join(dir, 'taskdef.json'),
  JSON.stringify({
    family: 'web',
    containerDefinitions: [{ name: 'web', image: 'web:1', portMappings: [{ containerPort: 80 }] }],
  }),
);

/** The message of the InvalidInputError `run` throws. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidInputError');
}

describe('lambdaSourceFrom', () => {
  it('builds the source from text, hooks as EVENT=FUNCTION entries or a map', () => {
    const fromFlags = lambdaSourceFrom(
      {
        functionName: ' orders ',
        alias: 'live',
        zipFile: 'build.zip',
        hooks: ['AfterAllowTraffic=orders-check'],
      },
      LAMBDA_NAMES,
      dir,
    );
    expect(fromFlags).toEqual({
      kind: 'lambda',
      functionName: 'orders',
      alias: 'live',
      zipFile: join(dir, 'build.zip'),
      hooks: { AfterAllowTraffic: 'orders-check' },
    });
    const fromSpec = lambdaSourceFrom(
      {
        functionName: 'orders',
        alias: 'live',
        version: 7,
        hooks: { BeforeAllowTraffic: 'pre' },
        appspecFormat: 'JSON',
      },
      LAMBDA_NAMES,
      dir,
    );
    expect(fromSpec).toMatchObject({
      targetVersion: '7',
      hooks: { BeforeAllowTraffic: 'pre' },
      appspecFormat: 'json',
    });
  });

  it('names the setting that is wrong, in the front end’s words', () => {
    expect(failure(() => lambdaSourceFrom({ alias: 'live' }, LAMBDA_NAMES, dir))).toBe(
      '--lambda-function is required here; nothing was created',
    );
    expect(
      failure(() =>
        lambdaSourceFrom({ functionName: 'f', alias: 'live', version: '$LATEST' }, LAMBDA_NAMES, dir),
      ),
    ).toContain('--lambda-version must be a published version number, not "$LATEST"');
    expect(
      failure(() =>
        lambdaSourceFrom(
          { functionName: 'f', alias: 'live', version: '3', zipFile: 'build.zip' },
          LAMBDA_NAMES,
          dir,
        ),
      ),
    ).toContain('--lambda-zip cannot be combined with --lambda-version');
    expect(
      failure(() =>
        lambdaSourceFrom({ functionName: 'f', alias: 'live', zipFile: 'missing.zip' }, LAMBDA_NAMES, dir),
      ),
    ).toBe('--lambda-zip names missing.zip, which does not exist; nothing was created');
    expect(
      failure(() =>
        lambdaSourceFrom({ functionName: 'f', alias: 'live', hooks: ['AfterInstall=x'] }, LAMBDA_NAMES, dir),
      ),
    ).toContain('--hook names AfterInstall, which is not a hook event of Lambda deployments');
    expect(
      failure(() =>
        lambdaSourceFrom(
          { functionName: 'f', alias: 'live', hooks: ['AfterAllowTraffic=a', 'AfterAllowTraffic=b'] },
          LAMBDA_NAMES,
          dir,
        ),
      ),
    ).toContain('--hook names AfterAllowTraffic twice');
    expect(
      failure(() =>
        lambdaSourceFrom(
          { functionName: 'f', alias: 'live', hooks: ['AfterAllowTraffic'] },
          LAMBDA_NAMES,
          dir,
        ),
      ),
    ).toContain('--hook has "AfterAllowTraffic", not EVENT=FUNCTION');
  });
});

describe('ecsSourceFrom', () => {
  it('reads the task definition file now, with image overrides checked against its containers', () => {
    const source = ecsSourceFrom(
      {
        taskDefinitionFile: 'taskdef.json',
        images: ['web=repo/web:2'],
        service: 'arn:aws:ecs:us-east-1:111122223333:service/shop/web',
        port: '80',
        subnets: 'subnet-1, subnet-2',
        securityGroups: ['sg-1'],
        assignPublicIp: 'disabled',
        capacityProviders: ['FARGATE:1:1', { provider: 'FARGATE_SPOT', weight: 3 }],
        hooks: ['AfterAllowTestTraffic=smoke'],
      },
      ECS_NAMES,
      dir,
    );
    expect(source).toEqual({
      kind: 'ecs',
      taskDefinitionFile: join(dir, 'taskdef.json'),
      cluster: 'shop',
      service: 'web',
      images: { web: 'repo/web:2' },
      containerPort: 80,
      networkConfiguration: {
        subnets: ['subnet-1', 'subnet-2'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'DISABLED',
      },
      capacityProviderStrategy: [
        { provider: 'FARGATE', base: 1, weight: 1 },
        { provider: 'FARGATE_SPOT', weight: 3 },
      ],
      hooks: { AfterAllowTestTraffic: 'smoke' },
    });
  });

  it('refuses what CodeDeploy or ECS would, before any call', () => {
    // Image overrides alone deploy the deployment group's service with its task definition changed.
    expect(ecsSourceFrom({ images: ['web=x'] }, ECS_NAMES, dir)).toEqual({
      kind: 'ecs',
      images: { web: 'x' },
    });
    expect(
      failure(() => ecsSourceFrom({ taskDefinitionFile: 'taskdef.json', images: ['api=x'] }, ECS_NAMES, dir)),
    ).toMatch(
      /^input "ecs-images" does not fit the task definition: no container "api" in taskdef\.json .*it has container web/,
    );
    expect(failure(() => ecsSourceFrom({ service: 'shop' }, ECS_NAMES, dir))).toContain(
      'input "ecs-service" is "shop", not CLUSTER/SERVICE',
    );
    expect(failure(() => ecsSourceFrom({ service: 'shop/web', port: '0' }, ECS_NAMES, dir))).toContain(
      'input "ecs-port" must be a port number from 1 to 65535, not "0"',
    );
    expect(
      failure(() => ecsSourceFrom({ service: 'shop/web', securityGroups: 'sg-1' }, ECS_NAMES, dir)),
    ).toContain('input "ecs-security-groups" needs input "ecs-subnets"');
    expect(
      failure(() => ecsSourceFrom({ service: 'shop/web', subnets: 'subnet-1' }, ECS_NAMES, dir)),
    ).toContain('input "ecs-subnets" needs input "ecs-security-groups"');
    expect(
      failure(() => ecsSourceFrom({ service: 'shop/web', capacityProviders: ['FARGATE:x'] }, ECS_NAMES, dir)),
    ).toContain('BASE must be a whole number from 0 to 100000');
    expect(
      failure(() => ecsSourceFrom({ service: 'shop/web', hooks: ['AfterBlockTraffic=x'] }, ECS_NAMES, dir)),
    ).toContain('not a hook event of ECS deployments');
    expect(
      failure(() => ecsSourceFrom({ service: 'shop/web', assignPublicIp: 'maybe' }, ECS_NAMES, dir)),
    ).toContain('input "ecs-assign-public-ip" is "maybe"');
  });
});
