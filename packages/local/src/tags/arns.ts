import type { OperationContext } from '../wire/operation.js';

/** The CodeDeploy resources TagResource understands, as named by their ARNs. */
export type TaggableResource =
  | { kind: 'application'; applicationName: string }
  | { kind: 'deploymentgroup'; applicationName: string; deploymentGroupName: string }
  | { kind: 'deploymentconfig'; deploymentConfigName: string };

type ArnContext = Pick<OperationContext, 'region' | 'accountId'>;

export function applicationArn(context: ArnContext, applicationName: string): string {
  return `arn:aws:codedeploy:${context.region}:${context.accountId}:application:${applicationName}`;
}

export function deploymentGroupArn(context: ArnContext, applicationName: string, groupName: string): string {
  return `arn:aws:codedeploy:${context.region}:${context.accountId}:deploymentgroup:${applicationName}/${groupName}`;
}

export function deploymentConfigArn(context: ArnContext, configName: string): string {
  return `arn:aws:codedeploy:${context.region}:${context.accountId}:deploymentconfig:${configName}`;
}

export function instanceArn(context: ArnContext, instanceName: string): string {
  return `arn:aws:codedeploy:${context.region}:${context.accountId}:instance/${instanceName}`;
}

const ARN = /^arn:aws[a-z-]*:([^:]*):([^:]*):(\d{12}):(.+)$/;

/**
 * What a CodeDeploy ARN names: 'invalid' when it is no ARN at all, 'unsupported' when it is an ARN of
 * something TagResource does not take (another service, an instance, a deployment).
 */
export function parseResourceArn(arn: string): TaggableResource | 'invalid' | 'unsupported' {
  const match = ARN.exec(arn);
  if (!match) return 'invalid';
  const [, service, , , resource = ''] = match;
  if (service !== 'codedeploy') return 'unsupported';
  const colon = resource.indexOf(':');
  const type = colon < 0 ? resource : resource.slice(0, colon);
  const name = colon < 0 ? '' : resource.slice(colon + 1);
  if (name === '') return 'unsupported';
  if (type === 'application') return { kind: 'application', applicationName: name };
  if (type === 'deploymentconfig') return { kind: 'deploymentconfig', deploymentConfigName: name };
  if (type === 'deploymentgroup') {
    const slash = name.indexOf('/');
    if (slash <= 0 || slash === name.length - 1) return 'invalid';
    return {
      kind: 'deploymentgroup',
      applicationName: name.slice(0, slash),
      deploymentGroupName: name.slice(slash + 1),
    };
  }
  return 'unsupported';
}
