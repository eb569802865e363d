import type { AlarmConfiguration, AutoRollbackConfiguration } from '@aws-sdk/client-codedeploy';
import { validAlarms } from '../deployment-groups/validation.js';
import type { CodeDeployError } from '../wire/codedeploy-error.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';

/** The checks CreateDeployment makes whatever the compute platform. */

const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];

export function invalidRevision(message: string): CodeDeployError {
  return codeDeployError('InvalidRevisionException', message);
}

export function validDescription(description: string | undefined): void {
  if ((description ?? '').length > 256) {
    throw codeDeployError('DescriptionTooLongException');
  }
}

export function validateAutoRollback(config: AutoRollbackConfiguration | undefined): void {
  if (!config) return;
  const events = config.events ?? [];
  if (events.some((event) => !ROLLBACK_EVENTS.includes(event))) {
    throw codeDeployError('InvalidAutoRollbackConfigException');
  }
  if (config.enabled && events.length === 0) {
    throw codeDeployError(
      'InvalidAutoRollbackConfigException',
      'At least one event must be specified when automatic rollback is enabled.',
    );
  }
}

/** overrideAlarmConfiguration follows the group's rules for alarmConfiguration. */
export function validateOverrideAlarms(config: AlarmConfiguration | undefined): void {
  validAlarms(config);
}
