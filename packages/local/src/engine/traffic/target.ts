import type { ErrorCode } from '@aws-sdk/client-codedeploy';

/** Why a deployment failed: errorInformation's code and message. */
export interface Failure {
  code: ErrorCode;
  message: string;
}

/**
 * What differs between a Lambda and an ECS deployment; the lifecycle, hooks, traffic steps and
 * waits around these calls are shared (traffic-deployment.ts).
 */
export interface TrafficTarget {
  /** Whatever the deployment cannot run without is there (function and versions; service and task definition). */
  check(): Failure | undefined;
  /** CodeDeploy's own work for an event other than AllowTraffic (ECS Install, AllowTestTraffic). */
  serviceEvent(event: string): Failure | undefined;
  /** Puts `percent` of the production traffic on the new version or task set. */
  shift(percent: number): void;
  /** After AfterAllowTraffic: whatever ends the deployment (ECS: primary, termination wait, cleanup). */
  complete(signal: AbortSignal): Promise<'done' | 'aborted'>;
}
