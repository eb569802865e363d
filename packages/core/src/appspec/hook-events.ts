/*
 * The hook events of Lambda and ECS AppSpecs, on their own so a front end can check its inputs
 * against them without loading the AppSpec writer and validator (and the YAML parser they bring).
 */

/** The Lambda hooks an AppSpec may name, in the order CodeDeploy runs them. */
export const LAMBDA_HOOK_EVENTS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export type LambdaHookEvent = (typeof LAMBDA_HOOK_EVENTS)[number];

/** The ECS hooks an AppSpec may name, in the order CodeDeploy runs them. */
export const ECS_HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;
export type EcsHookEvent = (typeof ECS_HOOK_EVENTS)[number];
