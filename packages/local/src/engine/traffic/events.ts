import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';

/** The lifecycle of a Lambda target (user guide "AppSpec 'hooks' section for an AWS Lambda deployment"). */
export const LAMBDA_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'] as const;

/** The lifecycle of an ECS target (user guide "AppSpec 'hooks' section for an Amazon ECS deployment"). */
export const ECS_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

export type TrafficPlatform = 'Lambda' | 'ECS';

/** Every event of the platform's lifecycle, Pending from the moment the target exists. */
export function pendingTrafficLifecycle(platform: TrafficPlatform): LifecycleEvent[] {
  const events = platform === 'Lambda' ? LAMBDA_EVENTS : ECS_EVENTS;
  return events.map((lifecycleEventName) => ({ lifecycleEventName, status: 'Pending' }));
}
