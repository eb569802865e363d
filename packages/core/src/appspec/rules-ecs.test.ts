import { describe, expect, it } from 'vitest';
import { validateAppspec } from './index.js';

const located = (text: string) =>
  validateAppspec(text, { file: 'appspec.yaml' }).problems.map(
    (p) => `${p.severity === 'error' ? 'E' : 'W'} ${p.code}@${p.line}:${p.column} ${p.path}`,
  );
const P = 'Resources[0].TargetService.Properties';
const ecs = (properties: string) =>
  `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n${properties}`;
const task = '        TaskDefinition: "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12"\n';
const lb = '        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n';
const network = (body: string) =>
  `${task}${lb}        NetworkConfiguration:\n          AwsvpcConfiguration:\n${body}`;
const awsvpc =
  '            Subnets: [subnet-1]\n            SecurityGroups: [sg-1]\n            AssignPublicIp: DISABLED\n';
const strategy = (body: string) => `${task}${lb}        CapacityProviderStrategy:\n${body}`;

describe('ECS rules', () => {
  it.each([
    ['minimal valid', `${task}${lb}`, []],
    ['GovCloud ARN', `${task.replace('arn:aws:', 'arn:aws-us-gov:')}${lb}`, []],
    [
      'placeholder task definition',
      `        TaskDefinition: <TASK_DEFINITION>\n${lb}`,
      [`W ecs-task-definition-placeholder@6:25 ${P}.TaskDefinition`],
    ],
    [
      'family name only',
      `        TaskDefinition: web:12\n${lb}`,
      [`E ecs-task-definition-invalid@6:25 ${P}.TaskDefinition`],
    ],
    [
      'ARN without revision',
      `${task.replace(':12"', '"')}${lb}`,
      [`W ecs-task-definition-no-revision@6:25 ${P}.TaskDefinition`],
    ],
    ['missing LoadBalancerInfo', task, [`E required-key-missing@6:9 ${P}.LoadBalancerInfo`]],
    [
      'missing ContainerPort',
      `${task}        LoadBalancerInfo:\n          ContainerName: web\n`,
      [`E required-key-missing@8:11 ${P}.LoadBalancerInfo.ContainerPort`],
    ],
    [
      'port out of range',
      `${task}${lb.replace('8080', '70000')}`,
      [`E ecs-container-port-invalid@9:26 ${P}.LoadBalancerInfo.ContainerPort`],
    ],
    [
      'port quoted',
      `${task}${lb.replace('8080', '"8080"')}`,
      [`W ecs-container-port-quoted@9:26 ${P}.LoadBalancerInfo.ContainerPort`],
    ],
    [
      'PlatformVersion as number',
      `${task}${lb}        PlatformVersion: 1.4\n`,
      [`E ecs-platform-version-invalid@10:26 ${P}.PlatformVersion`],
    ],
    ['PlatformVersion 1.4.0', `${task}${lb}        PlatformVersion: 1.4.0\n`, []],
    ['full network config', network(awsvpc), []],
    [
      'network without SecurityGroups',
      network(awsvpc.replace('            SecurityGroups: [sg-1]\n', '')),
      [`E required-key-missing@12:13 ${P}.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups`],
    ],
    [
      '17 subnets',
      network(awsvpc.replace('[subnet-1]', `[${Array.from({ length: 17 }, (_, i) => `s-${i}`).join(', ')}]`)),
      [`E ecs-network-list-invalid@12:22 ${P}.NetworkConfiguration.AwsvpcConfiguration.Subnets`],
    ],
    [
      'AssignPublicIp yes',
      network(awsvpc.replace('DISABLED', 'yes')),
      [`E ecs-assign-public-ip-invalid@14:29 ${P}.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp`],
    ],
    [
      'Weight over 1000',
      strategy('          - CapacityProvider: FARGATE\n            Weight: 1001\n'),
      [`E ecs-capacity-provider-invalid@12:21 ${P}.CapacityProviderStrategy[0].Weight`],
    ],
    [
      'Base on two providers',
      strategy(
        '          - CapacityProvider: FARGATE\n            Base: 1\n          - CapacityProvider: FARGATE_SPOT\n            Base: 2\n            Weight: 1\n',
      ),
      [`E ecs-capacity-provider-base@14:19 ${P}.CapacityProviderStrategy[1].Base`],
    ],
    [
      'provider without name',
      strategy('          - Weight: 1\n'),
      [`E required-key-missing@11:13 ${P}.CapacityProviderStrategy[0].CapacityProvider`],
    ],
    [
      'all weights zero',
      strategy(
        '          - CapacityProvider: A\n            Weight: 0\n          - CapacityProvider: B\n            Weight: 0\n',
      ),
      [`E ecs-capacity-provider-weights@11:11 ${P}.CapacityProviderStrategy`],
    ],
    [
      'typo property',
      `${task}${lb}        PlatformVersoin: LATEST\n`,
      [`W unknown-key@10:9 ${P}.PlatformVersoin`],
    ],
  ])('%s', (_name, properties, expected) => {
    expect(located(ecs(properties))).toEqual(expected);
  });

  it('rejects EC2-only keys', () => {
    expect(located(`${ecs(`${task}${lb}`)}permissions: []\n`)).toEqual([
      'E key-not-for-platform@10:1 permissions',
    ]);
  });

  it('accepts the ECS hook events in lifecycle order', () => {
    const hooks =
      'Hooks:\n  - BeforeInstall: a\n  - AfterInstall: b\n  - AfterAllowTestTraffic: c\n  - BeforeAllowTraffic: d\n  - AfterAllowTraffic: e\n';
    expect(located(`${ecs(`${task}${lb}`)}${hooks}`)).toEqual([]);
  });
});
