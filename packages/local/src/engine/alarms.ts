import type { AlarmConfiguration, DeploymentGroupInfo, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ComputeRuntime } from '../compute/runtime.js';

/**
 * The alarms a deployment watches: the deployment's overrideAlarmConfiguration when it has one (it
 * "overrides the alarm configuration at the deployment group level"), else the group's; none when
 * monitoring is not enabled.
 */
export function alarmsToWatch(group: DeploymentGroupInfo | undefined, info: DeploymentInfo): string[] {
  const config: AlarmConfiguration | undefined = info.overrideAlarmConfiguration ?? group?.alarmConfiguration;
  if (!config?.enabled) return [];
  return (config.alarms ?? []).map((alarm) => alarm.name ?? '').filter((name) => name !== '');
}

/** Which of the watched alarms are in ALARM; OK and INSUFFICIENT_DATA let the deployment go on. */
export function activeAlarms(names: readonly string[], stateOf: ComputeRuntime['alarmState']): string[] {
  return names.filter((name) => stateOf(name) === 'ALARM');
}

/** errorInformation.message of a deployment stopped by alarms (as seen in public lab output). */
export function alarmActiveMessage(names: readonly string[]): string {
  return `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ${names.join(', ')}`;
}

/**
 * Polls the watched alarms while a deployment runs. `check()` polls at once (the engine calls it
 * before every traffic step and every instance); between calls a timer polls every `intervalMs`.
 * The first ALARM seen is reported once through `onAlarm`, which stops the deployment.
 */
export class AlarmWatch {
  private timer: NodeJS.Timeout | undefined;
  private fired: string[] | undefined;

  constructor(
    private readonly names: readonly string[],
    private readonly stateOf: ComputeRuntime['alarmState'],
    private readonly onAlarm: (names: string[]) => void,
  ) {}

  start(intervalMs: number): this {
    if (this.names.length > 0) this.timer = setInterval(() => this.check(), intervalMs);
    return this;
  }

  /** True when an alarm is (or was) in ALARM: the deployment is being stopped. */
  check(): boolean {
    if (this.fired) return true;
    const active = activeAlarms(this.names, this.stateOf);
    if (active.length === 0) return false;
    this.fired = active;
    this.stop();
    this.onAlarm(active);
    return true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
