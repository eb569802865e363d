import {
  type CodeDeployClient,
  type DeploymentInfo,
  GetDeploymentConfigCommand,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';

const canary = (percentage: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: percentage, canaryInterval: minutes },
});
const linear = (percentage: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percentage, linearInterval: minutes },
});

/**
 * The routing of CodeDeploy's predefined Lambda and ECS configurations, so the usual case costs no
 * GetDeploymentConfig call (and works for a role that may not make one).
 */
export const PREDEFINED_TRAFFIC_ROUTING: Readonly<Record<string, TrafficRoutingConfig>> = {
  'CodeDeployDefault.LambdaAllAtOnce': { type: 'AllAtOnce' },
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': canary(10, 10),
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': canary(10, 30),
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': linear(10, 1),
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': linear(10, 2),
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': linear(10, 3),
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': linear(10, 10),
  'CodeDeployDefault.ECSAllAtOnce': { type: 'AllAtOnce' },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.ECSCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': linear(10, 1),
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': linear(10, 3),
};

/**
 * The traffic routing of the configurations a gate meets, each looked up once: predefined ones from
 * the table, custom ones with GetDeploymentConfig. Only Lambda and ECS deployments shift traffic, so
 * EC2/on-premises deployments never cost a call. A failed lookup leaves the steps out of the progress
 * lines rather than failing the gate.
 */
export class TrafficRoutingLookup {
  private readonly known = new Map<string, Promise<TrafficRoutingConfig | undefined>>();

  constructor(
    private readonly client: CodeDeployClient,
    private readonly signal?: AbortSignal | undefined,
  ) {}

  of(deployment: DeploymentInfo): Promise<TrafficRoutingConfig | undefined> {
    const name = deployment.deploymentConfigName;
    if (
      name === undefined ||
      (deployment.computePlatform !== 'Lambda' && deployment.computePlatform !== 'ECS')
    ) {
      return Promise.resolve(undefined);
    }
    let routing = this.known.get(name);
    if (routing === undefined) {
      routing = this.fetch(name);
      this.known.set(name, routing);
    }
    return routing;
  }

  private async fetch(name: string): Promise<TrafficRoutingConfig | undefined> {
    const predefined = PREDEFINED_TRAFFIC_ROUTING[name];
    if (predefined !== undefined) return predefined;
    try {
      const { deploymentConfigInfo } = await this.client.send(
        new GetDeploymentConfigCommand({ deploymentConfigName: name }),
        { abortSignal: this.signal ?? AbortSignal.timeout(10_000) },
      );
      return deploymentConfigInfo?.trafficRoutingConfig;
    } catch {
      return undefined;
    }
  }
}
