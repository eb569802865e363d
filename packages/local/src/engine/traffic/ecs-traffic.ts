import type { DeploymentGroupInfo, ECSTarget, ECSTaskSet } from '@aws-sdk/client-codedeploy';
import type { TaskSet } from '@aws-sdk/client-ecs';
import type { EcsRuntime, ServiceView } from '../../compute/runtime.js';
import type { DeploymentRecord, Store } from '../../state/index.js';
import type { EcsAppSpec } from './appspec.js';
import { type ContinueWaits, terminationWaitOf } from './blue-green-waits.js';
import type { EcsDeploymentState, TrafficRecord } from './records.js';
import type { Failure, TrafficTarget } from './target.js';

export interface EcsTrafficOptions {
  store: Store;
  ecs: EcsRuntime;
  record: DeploymentRecord;
  /** The deployment's traffic record, marked `touched` once the replacement task set exists. */
  traffic: TrafficRecord;
  target: ECSTarget;
  appspec: EcsAppSpec;
  state: EcsDeploymentState;
  group: DeploymentGroupInfo | undefined;
  rollback: boolean;
  waits: ContinueWaits;
  minuteMs: number;
  region: string;
  accountId: string;
}

/**
 * An ECS deployment's target: the group's service gets a replacement (Green) task set at Install,
 * production traffic moves to it from the original (Blue) task set in the configured steps, and once
 * the termination wait is over the original is deleted (user guide "What happens during an Amazon
 * ECS deployment"). A rollback runs the same way in the other direction, the task sets swapped.
 */
export class EcsTraffic implements TrafficTarget {
  private readonly weights = new Map<string, number>();

  constructor(private readonly options: EcsTrafficOptions) {}

  check(): Failure | undefined {
    const { ecs, state, appspec, rollback } = this.options;
    const view = ecs.service(state.clusterName, state.serviceName);
    if (!view) {
      return {
        code: 'INVALID_ECS_SERVICE',
        message: `The ECS service ${state.serviceName} in cluster ${state.clusterName} (the deployment group's ecsServices) does not exist.`,
      };
    }
    if (!rollback && !ecs.taskDefinitionArn(appspec.taskDefinition)) {
      return {
        code: 'INVALID_REVISION',
        message: `The task definition ${appspec.taskDefinition} in the AppSpec file is not registered; register it (RegisterTaskDefinition) and deploy again.`,
      };
    }
    if (!rollback) {
      const original = view.taskSets.find((set) => set.status === 'PRIMARY') ?? view.taskSets[0];
      this.options.store.update(() => {
        if (original?.id) state.originalTaskSetId = original.id;
        state.originalTaskDefinition = original?.taskDefinition ?? view.taskDefinition;
      });
    }
    if (state.originalTaskSetId) this.weights.set(state.originalTaskSetId, 100);
    if (state.replacementTaskSetId) this.weights.set(state.replacementTaskSetId, 0);
    this.refresh(view);
    return undefined;
  }

  /** Install creates the replacement task set (a rollback already has it); test traffic needs no work locally. */
  serviceEvent(event: string): Failure | undefined {
    const { ecs, state, appspec, store } = this.options;
    if (event !== 'Install' || state.replacementTaskSetId) return undefined;
    const view = ecs.service(state.clusterName, state.serviceName);
    const original = view?.taskSets.find((set) => set.id === state.originalTaskSetId);
    const taskDefinition = ecs.taskDefinitionArn(appspec.taskDefinition) ?? appspec.taskDefinition;
    const targetGroup = this.replacementTargetGroup(original);
    const created = ecs.createTaskSet(state.clusterName, state.serviceName, {
      taskDefinition,
      externalId: this.options.record.info.deploymentId ?? '',
      ...(appspec.capacityProviderStrategy
        ? { capacityProviderStrategy: appspec.capacityProviderStrategy }
        : original?.launchType
          ? { launchType: original.launchType }
          : {}),
      ...((appspec.platformVersion ?? original?.platformVersion)
        ? { platformVersion: appspec.platformVersion ?? original?.platformVersion }
        : {}),
      ...((appspec.networkConfiguration ?? original?.networkConfiguration)
        ? { networkConfiguration: appspec.networkConfiguration ?? original?.networkConfiguration }
        : {}),
      loadBalancers: targetGroup
        ? [
            {
              targetGroupArn: this.targetGroupArn(targetGroup),
              containerName: appspec.containerName,
              containerPort: appspec.containerPort,
            },
          ]
        : [],
    });
    store.update(() => {
      if (created.id) state.replacementTaskSetId = created.id;
      // From here on a rollback has a task set to take traffic from and delete.
      this.options.traffic.touched = true;
    });
    if (created.id) {
      this.weights.set(created.id, 0);
      // CodeDeploy starts the replacement at full size before any traffic reaches it.
      ecs.scaleTaskSet?.(state.clusterName, state.serviceName, created.id, 100);
    }
    this.refresh();
    return undefined;
  }

  shift(percent: number): void {
    const { ecs, state } = this.options;
    if (state.replacementTaskSetId) {
      ecs.setTaskSetTraffic(state.clusterName, state.serviceName, state.replacementTaskSetId, percent);
      this.weights.set(state.replacementTaskSetId, percent);
    }
    if (state.originalTaskSetId) {
      ecs.setTaskSetTraffic(state.clusterName, state.serviceName, state.originalTaskSetId, 100 - percent);
      this.weights.set(state.originalTaskSetId, 100 - percent);
    }
    this.refresh();
  }

  /**
   * The replacement becomes the service's primary task set; the original is deleted once the
   * termination wait is over (a rollback deletes it at once, KEEP_ALIVE never).
   */
  async complete(signal: AbortSignal): Promise<'done' | 'aborted'> {
    const { ecs, state, store, record, group, rollback, waits, minuteMs } = this.options;
    if (state.replacementTaskSetId) {
      ecs.makePrimary(state.clusterName, state.serviceName, state.replacementTaskSetId);
      this.refresh();
    }
    const termination = rollback
      ? { kind: 'terminate' as const, waitMinutes: 0 }
      : terminationWaitOf(group?.blueGreenDeploymentConfiguration);
    if (termination.kind === 'keep') return 'done';
    if (!rollback) {
      store.update(() => {
        record.info.instanceTerminationWaitTimeStarted = true;
      });
    }
    if (termination.waitMinutes > 0) {
      const end = await waits.wait(
        record.info.deploymentId ?? '',
        'TERMINATION_WAIT',
        termination.waitMinutes * minuteMs,
        signal,
      );
      if (end === 'aborted') return 'aborted';
    }
    if (state.originalTaskSetId) {
      ecs.deleteTaskSet(state.clusterName, state.serviceName, state.originalTaskSetId);
      this.refresh();
    }
    return 'done';
  }

  /** taskSetsInfo from the service as ECS reports it, with the traffic weights CodeDeploy set. */
  private refresh(view?: ServiceView): void {
    const { ecs, state, target, store } = this.options;
    const service = view ?? ecs.service(state.clusterName, state.serviceName);
    const info: ECSTaskSet[] = [];
    if (state.originalTaskSetId) info.push(this.taskSetInfo(service, state.originalTaskSetId, 'Blue'));
    if (state.replacementTaskSetId) info.push(this.taskSetInfo(service, state.replacementTaskSetId, 'Green'));
    store.update(() => {
      target.taskSetsInfo = info;
    });
  }

  private taskSetInfo(service: ServiceView | undefined, id: string, label: 'Blue' | 'Green'): ECSTaskSet {
    const taskSet = service?.taskSets.find((set) => set.id === id);
    const previous = this.options.target.taskSetsInfo?.find((set) => set.identifer === id);
    const targetGroup =
      targetGroupNameOf(taskSet) ?? previous?.targetGroup?.name ?? this.pairNames()[label === 'Blue' ? 0 : 1];
    const status = taskSet?.status ?? previous?.status;
    return {
      identifer: id,
      desiredCount: taskSet?.computedDesiredCount ?? 0,
      pendingCount: taskSet?.pendingCount ?? 0,
      runningCount: taskSet?.runningCount ?? 0,
      ...(status ? { status } : {}),
      trafficWeight: service?.trafficWeights?.[id] ?? this.weights.get(id) ?? previous?.trafficWeight ?? 0,
      ...(targetGroup ? { targetGroup: { name: targetGroup } } : {}),
      taskSetLabel: label,
    };
  }

  /**
   * The target group of the group's pair that the original task set is not behind (an original
   * without a load balancer counts as behind the first, as a service created for CodeDeploy is).
   */
  private replacementTargetGroup(original: TaskSet | undefined): string | undefined {
    const names = this.pairNames();
    const current = targetGroupNameOf(original) ?? names[0];
    return names.find((name) => name !== current);
  }

  private pairNames(): string[] {
    const pair = this.options.group?.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    return (pair?.targetGroups ?? []).map((group) => group.name ?? '').filter((name) => name !== '');
  }

  /** The ARN the local ECS gives a target group of that name, so DescribeServices shows one ARN for it. */
  private targetGroupArn(name: string): string {
    const id = Buffer.from(name).toString('hex').padEnd(16, '0').slice(0, 16);
    return `arn:aws:elasticloadbalancing:${this.options.region}:${this.options.accountId}:targetgroup/${name}/${id}`;
  }
}

/** `arn:...:targetgroup/NAME/ID` → NAME. */
function targetGroupNameOf(taskSet: TaskSet | undefined): string | undefined {
  const arn = taskSet?.loadBalancers?.[0]?.targetGroupArn;
  return arn ? /targetgroup\/([^/]+)/.exec(arn)?.[1] : undefined;
}
