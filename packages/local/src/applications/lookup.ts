import type { ApplicationInfo } from '@aws-sdk/client-codedeploy';
import type { LocalState } from '../state/index.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';

/** Application, group and config names are 1–100 characters (CodeDeploy quotas). */
export const MAX_NAME_LENGTH = 100;

/** ApplicationNameRequiredException / InvalidApplicationNameException, before any lookup. */
export function validApplicationName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new CodeDeployError(
      'ApplicationNameRequiredException',
      'The minimum number of required application names was not specified.',
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new CodeDeployError(
      'InvalidApplicationNameException',
      `The application name was specified in an invalid format: application names are at most ${MAX_NAME_LENGTH} characters.`,
    );
  }
  return name;
}

export function applicationNotFound(name: string): CodeDeployError {
  return new CodeDeployError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
}

/** The named application, validated in the service's order (required, format, existence). */
export function requireApplication(state: LocalState, name: unknown): ApplicationInfo {
  const applicationName = validApplicationName(name);
  const application = state.applications[applicationName];
  if (!application) throw applicationNotFound(applicationName);
  return application;
}
