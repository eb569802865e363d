import type { EcsScope } from './context.js';

function prefix(scope: EcsScope): string {
  return `arn:aws:ecs:${scope.region}:${scope.accountId}`;
}

export function clusterArn(scope: EcsScope, cluster: string): string {
  return `${prefix(scope)}:cluster/${cluster}`;
}

/** The long ARN format (`service/CLUSTER/SERVICE`), which ECS uses for every new service. */
export function serviceArn(scope: EcsScope, cluster: string, service: string): string {
  return `${prefix(scope)}:service/${cluster}/${service}`;
}

export function taskDefinitionArn(scope: EcsScope, family: string, revision: number): string {
  return `${prefix(scope)}:task-definition/${family}:${revision}`;
}

export function taskSetArn(scope: EcsScope, cluster: string, service: string, id: string): string {
  return `${prefix(scope)}:task-set/${cluster}/${service}/${id}`;
}

/** An Elastic Load Balancing target group's ARN from its name (seeds name target groups only). */
export function targetGroupArn(scope: EcsScope, name: string): string {
  const id = Buffer.from(name).toString('hex').padEnd(16, '0').slice(0, 16);
  return `arn:aws:elasticloadbalancing:${scope.region}:${scope.accountId}:targetgroup/${name}/${id}`;
}

/** A cluster's name from its name or ARN (`arn:aws:ecs:...:cluster/NAME`). */
export function clusterNameOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.indexOf(':cluster/') + ':cluster/'.length) : value;
}

/**
 * A service's name from its name or ARN, in the long format (`service/CLUSTER/NAME`) or the old one
 * (`service/NAME`); with the cluster the long ARN names, if any.
 */
export function serviceNameOf(value: string): { service: string; cluster?: string } {
  if (!value.startsWith('arn:')) return { service: value };
  const path = value.slice(value.indexOf(':service/') + ':service/'.length).split('/');
  return path.length >= 2 ? { cluster: path[0] ?? '', service: path[1] ?? '' } : { service: path[0] ?? '' };
}

/** A task set id in ECS's format: `ecs-svc/` and 19 digits. */
export function newTaskSetId(): string {
  let digits = String(1 + Math.floor(Math.random() * 9));
  while (digits.length < 19) digits += String(Math.floor(Math.random() * 10));
  return `ecs-svc/${digits}`;
}
