import type { DeploymentStatus, ErrorCode } from '@aws-sdk/client-codedeploy';
import { alarmActiveMessage } from './alarms.js';
import { MESSAGES } from './messages.js';
import type { TrafficOutcome } from './traffic/index.js';

/** How a deployment ends: its final status, errorInformation, and whether a rollback may follow. */
export interface Ending {
  status: Extract<DeploymentStatus, 'Succeeded' | 'Failed' | 'Stopped'>;
  error?: { code: ErrorCode; message: string };
  /** Why a rollback may follow: a failure, an alarm, or a stop that asked for one. */
  rollbackEvent?: 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';
  /** StopDeployment's autoRollbackEnabled: overrides the configuration when given. */
  stopRollback?: boolean | undefined;
}

export function failure(code: ErrorCode, message: string): Ending {
  return { status: 'Failed', error: { code, message }, rollbackEvent: 'DEPLOYMENT_FAILURE' };
}

/** An alarm in ALARM stopped the deployment (the message as seen in public lab output). */
export function alarmStopped(names: readonly string[]): Ending {
  return {
    status: 'Stopped',
    error: { code: 'ALARM_ACTIVE', message: alarmActiveMessage(names) },
    rollbackEvent: 'DEPLOYMENT_STOP_ON_ALARM',
  };
}

/** A Lambda/ECS run's own end; a ready wait that timed out stops the deployment (DeploymentReadyOption). */
export function trafficEnding(outcome: TrafficOutcome): Ending {
  switch (outcome.kind) {
    case 'succeeded':
      return { status: 'Succeeded' };
    case 'failed':
      return failure(outcome.code, outcome.message);
    case 'timed-out':
      return {
        status: 'Stopped',
        error: { code: outcome.code, message: outcome.message },
        rollbackEvent: 'DEPLOYMENT_FAILURE',
      };
    case 'aborted':
      return interrupted();
  }
}

export function manualStop(autoRollbackEnabled: boolean | undefined): Ending {
  return {
    status: 'Stopped',
    error: { code: 'MANUAL_STOP', message: MESSAGES.MANUAL_STOP },
    rollbackEvent: 'DEPLOYMENT_STOP_ON_REQUEST',
    stopRollback: autoRollbackEnabled,
  };
}

/**
 * The server closed under a running EC2/on-premises deployment: it ends Failed, like an agent restart
 * would leave it. (A Lambda or ECS deployment is left running instead; see the engine's close().)
 */
export function interrupted(): Ending {
  return { status: 'Failed', error: { code: 'INTERNAL_ERROR', message: MESSAGES.INTERRUPTED } };
}
