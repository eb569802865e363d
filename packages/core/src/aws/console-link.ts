import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';

/**
 * Domains of AWS's own service endpoints: the commercial and GovCloud partitions (`amazonaws.com`),
 * China (`amazonaws.com.cn`) and the dual-stack names (`api.aws`).
 */
const AWS_ENDPOINT_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn', 'api.aws'];

/** Whether `hostname` is one of AWS's own endpoints (`codedeploy.eu-west-1.amazonaws.com`). */
export function isAwsEndpointHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return AWS_ENDPOINT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/**
 * Whether a deployment this client sees can be opened in the AWS console: the SDK's own regional
 * endpoint, or a custom one under an AWS domain (a FIPS or VPC endpoint). A local CodeDeploy's
 * deployments are not in any console, and a link to one would lead nowhere.
 */
export async function hasAwsConsole(client: Pick<CodeDeployClient, 'config'>): Promise<boolean> {
  // The SDK keeps `endpoint` only when one was configured; without it, it resolves AWS's own. (A
  // stand-in client without the SDK's config, as unit tests pass, is taken for AWS's.)
  const custom = client.config?.endpoint;
  if (custom === undefined) return true;
  try {
    return isAwsEndpointHost((await custom()).hostname);
  } catch {
    return false;
  }
}
