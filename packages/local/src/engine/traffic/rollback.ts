import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { DeploymentRecord } from '../../state/index.js';
import { appSpecRevision, newTrafficDeploymentRecord, rollbackAppSpec, trafficOf } from './records.js';

export interface TrafficRollbackSpec {
  deploymentId: string;
  group: DeploymentGroupInfo;
  createTime: Date;
  region: string;
  accountId: string;
}

/**
 * The rollback of a Lambda or ECS deployment: a new deployment that moves all traffic back at once
 * (the alias to CurrentVersion, production traffic to the original task set, the replacement deleted)
 * with the platform's AllAtOnce config, as the service's rollbacks of an ECS deployment show it. Unlike
 * an EC2 rollback it needs no earlier successful deployment: the failed one knows where traffic was.
 * Only for a deployment that moved traffic (`touched`): the engine checks that first.
 */
export function newTrafficRollback(
  failed: DeploymentRecord,
  spec: TrafficRollbackSpec,
): DeploymentRecord | undefined {
  const traffic = trafficOf(failed);
  if (!traffic) return undefined;
  const appspec = rollbackAppSpec(traffic);
  const ecs = traffic.ecs
    ? {
        clusterName: traffic.ecs.clusterName,
        serviceName: traffic.ecs.serviceName,
        // Traffic goes back from the failed deployment's replacement to its original task set.
        ...(traffic.ecs.replacementTaskSetId ? { originalTaskSetId: traffic.ecs.replacementTaskSetId } : {}),
        ...(traffic.ecs.originalTaskSetId ? { replacementTaskSetId: traffic.ecs.originalTaskSetId } : {}),
      }
    : undefined;
  const info = failed.info;
  return newTrafficDeploymentRecord({
    deploymentId: spec.deploymentId,
    group: spec.group,
    revision: appSpecRevision(appspec),
    appspec,
    deploymentConfigName:
      appspec.platform === 'Lambda' ? 'CodeDeployDefault.LambdaAllAtOnce' : 'CodeDeployDefault.ECSAllAtOnce',
    creator: 'codeDeployRollback',
    createTime: spec.createTime,
    region: spec.region,
    accountId: spec.accountId,
    ...(ecs ? { ecs } : {}),
    rollback: true,
    autoRollbackConfiguration: info.autoRollbackConfiguration,
  });
}
