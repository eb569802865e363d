import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import { checkEcsSource, checkFamily, targetServiceOf } from './ecs-checks.js';

function thrown(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

const group = [{ clusterName: 'prod', serviceName: 'web' }];

describe('targetServiceOf', () => {
  it("defaults to the deployment group's service", () => {
    expect(targetServiceOf({}, group)).toEqual({ cluster: 'prod', service: 'web' });
  });

  it("accepts the group's service given by name or ARN", () => {
    expect(targetServiceOf({ cluster: 'prod', service: 'web' }, group)).toEqual({
      cluster: 'prod',
      service: 'web',
    });
    expect(targetServiceOf({ service: 'arn:aws:ecs:us-east-1:1:service/prod/web' }, group).cluster).toBe(
      'prod',
    );
  });

  it('refuses another service than the one the group deploys to', () => {
    expect(thrown(() => targetServiceOf({ cluster: 'staging', service: 'web' }, group)).message).toBe(
      'the deployment group deploys to ECS service prod/web, not staging/web; nothing was created',
    );
  });

  it('needs a service when the group names none', () => {
    expect(targetServiceOf({ cluster: 'c', service: 's' }, undefined)).toEqual({
      cluster: 'c',
      service: 's',
    });
    expect(targetServiceOf({ service: 's' }, [])).toEqual({ cluster: 'default', service: 's' });
    expect(thrown(() => targetServiceOf({}, [])).message).toContain('no ECS service to deploy to');
  });
});

describe('checkEcsSource', () => {
  const source = { kind: 'ecs' as const };

  it('refuses ports outside 1-65535 and network configurations CodeDeploy would refuse', () => {
    expect(thrown(() => checkEcsSource({ ...source, containerPort: 0 })).message).toBe(
      'container port 0 is not a port number',
    );
    expect(thrown(() => checkEcsSource({ ...source, networkConfiguration: { subnets: [] } })).message).toBe(
      'the network configuration names no subnets',
    );
    expect(
      thrown(() => checkEcsSource({ ...source, networkConfiguration: { subnets: ['subnet-1'] } })).message,
    ).toBe('the network configuration names subnets but no security groups');
    expect(
      thrown(() => checkEcsSource({ ...source, capacityProviderStrategy: [{ provider: '' }] })).message,
    ).toBe('capacity provider 1 of the strategy has no name');
  });

  it('accepts a complete source', () => {
    expect(() =>
      checkEcsSource({
        ...source,
        containerPort: 443,
        networkConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] },
        capacityProviderStrategy: [{ provider: 'FARGATE', weight: 1 }],
      }),
    ).not.toThrow();
  });
});

describe('checkFamily', () => {
  it('names the source of a family ECS would refuse', () => {
    expect(checkFamily('web-2', 'f.json')).toBe('web-2');
    expect(thrown(() => checkFamily('web app', 'f.json')).message).toBe(
      'f.json: family "web app" may hold only letters, digits, - and _ (up to 255)',
    );
  });
});
