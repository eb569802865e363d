import { describe, expect, it } from 'vitest';
import { validateAppspec } from '../appspec/validate.js';
import { buildEcsAppspec } from './ecs-appspec.js';

const arn = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:42';

describe('buildEcsAppspec', () => {
  it('writes the TargetService with the task definition and the load balancer container and port', () => {
    const yaml = buildEcsAppspec({ taskDefinitionArn: arn, containerName: 'web', containerPort: 80 });

    expect(yaml).toBe(
      [
        'version: 0.0',
        'Resources:',
        '  - TargetService:',
        '      Type: "AWS::ECS::Service"',
        '      Properties:',
        `        TaskDefinition: "${arn}"`,
        '        LoadBalancerInfo:',
        '          ContainerName: "web"',
        '          ContainerPort: 80',
        '',
      ].join('\n'),
    );
    expect(validateAppspec(yaml, { file: 'appspec.yaml', platform: 'ecs' }).problems).toEqual([]);
  });

  it('adds platform version, awsvpc network, capacity providers and all five hooks, valid in YAML and JSON', () => {
    const input = {
      taskDefinitionArn: arn,
      containerName: 'web',
      containerPort: 8080,
      platformVersion: '1.4.0',
      networkConfiguration: {
        subnets: ['subnet-1', 'subnet-2'],
        securityGroups: ['sg-1'],
        assignPublicIp: 'ENABLED' as const,
      },
      capacityProviderStrategy: [
        { provider: 'FARGATE_SPOT', base: 1, weight: 2 },
        { provider: 'FARGATE', weight: 1 },
      ],
      hooks: {
        AfterAllowTraffic: 'after-allow',
        BeforeInstall: 'before-install',
        AfterAllowTestTraffic: 'test-traffic',
        AfterInstall: 'after-install',
        BeforeAllowTraffic: 'before-allow',
      },
    };

    for (const format of ['yaml', 'json'] as const) {
      const text = buildEcsAppspec(input, format);
      const validation = validateAppspec(text, { file: `appspec.${format}`, platform: 'ecs' });
      expect(validation.problems).toEqual([]);
      expect(validation.appspec).toEqual({
        version: 0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: arn,
                LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
                PlatformVersion: '1.4.0',
                NetworkConfiguration: {
                  AwsvpcConfiguration: {
                    Subnets: ['subnet-1', 'subnet-2'],
                    SecurityGroups: ['sg-1'],
                    AssignPublicIp: 'ENABLED',
                  },
                },
                CapacityProviderStrategy: [
                  { Base: 1, CapacityProvider: 'FARGATE_SPOT', Weight: 2 },
                  { CapacityProvider: 'FARGATE', Weight: 1 },
                ],
              },
            },
          },
        ],
        Hooks: [
          { BeforeInstall: 'before-install' },
          { AfterInstall: 'after-install' },
          { AfterAllowTestTraffic: 'test-traffic' },
          { BeforeAllowTraffic: 'before-allow' },
          { AfterAllowTraffic: 'after-allow' },
        ],
      });
    }
  });

  it('defaults AssignPublicIp to DISABLED, since CodeDeploy takes all three awsvpc settings or none', () => {
    const yaml = buildEcsAppspec({
      taskDefinitionArn: arn,
      containerName: 'web',
      containerPort: 80,
      networkConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] },
    });
    expect(yaml).toContain('            AssignPublicIp: "DISABLED"\n');
    expect(validateAppspec(yaml, { file: 'appspec.yaml', platform: 'ecs' }).valid).toBe(true);
  });
});
