import type { AlarmConfiguration, AutoRollbackConfiguration } from '@aws-sdk/client-codedeploy';
import { validAlarms } from '../deployment-groups/validation.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';

/** The checks CreateDeployment makes whatever the compute platform. */

const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];

export function invalidRevision(message: string): CodeDeployError {
  return new CodeDeployError('InvalidRevisionException', message);
}

export function validDescription(description: string | undefined): void {
  if ((description ?? '').length > 256) {
    throw new CodeDeployError('DescriptionTooLongException', 'The description is too long.');
  }
}

export function validateAutoRollback(config: AutoRollbackConfiguration | undefined): void {
  if (!config) return;
  const events = config.events ?? [];
  if (events.some((event) => !ROLLBACK_EVENTS.includes(event))) {
    throw new CodeDeployError(
      'InvalidAutoRollbackConfigException',
      'The automatic rollback configuration was specified in an invalid format.',
    );
  }
  if (config.enabled && events.length === 0) {
    throw new CodeDeployError(
      'InvalidAutoRollbackConfigException',
      'The automatic rollback configuration was specified in an invalid format. At least one event must be specified when automatic rollback is enabled.',
    );
  }
}

/** overrideAlarmConfiguration follows the group's rules for alarmConfiguration. */
export function validateOverrideAlarms(config: AlarmConfiguration | undefined): void {
  validAlarms(config);
}
