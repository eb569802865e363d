import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';

/** The in-place lifecycle without a load balancer (the local CodeDeploy has none). */
export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;

/**
 * Events whose failure `ignoreApplicationStopFailures` lets the instance continue past (model doc:
 * ApplicationStop, BeforeBlockTraffic, AfterBlockTraffic — the ones run from the previous revision).
 */
const IGNORABLE_EVENTS: ReadonlySet<string> = new Set([
  'ApplicationStop',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
]);

/** Every event of the lifecycle, listed as Pending from the moment the target exists. */
export function pendingLifecycle(): LifecycleEvent[] {
  return IN_PLACE_EVENTS.map((lifecycleEventName) => ({ lifecycleEventName, status: 'Pending' }));
}

/** Whether a failed event ends the instance's deployment (otherwise the next event runs). */
export function failureStopsInstance(eventName: string, ignoreApplicationStopFailures: boolean): boolean {
  return !(ignoreApplicationStopFailures && IGNORABLE_EVENTS.has(eventName));
}
