import type { ApplicationInfo } from '@aws-sdk/client-codedeploy';
import type { LocalState } from '../state/index.js';
import { applicationDoesNotExist, codeDeployError } from '../wire/codedeploy-messages.js';

/**
 * ApplicationNameRequiredException before any lookup (the name's length and pattern are the model's,
 * checked before the handler runs: wire/codedeploy-constraints).
 */
export function validApplicationName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw codeDeployError('ApplicationNameRequiredException');
  }
  return name;
}

/** The named application, validated in the service's order (required, format, existence). */
export function requireApplication(state: LocalState, name: unknown): ApplicationInfo {
  const applicationName = validApplicationName(name);
  const application = state.applications[applicationName];
  if (!application) throw applicationDoesNotExist(applicationName);
  return application;
}
