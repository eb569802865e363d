import type { HookFunctions } from '../gate/revision-source.js';
import { assignmentsSetting, settingError } from './settings.js';

/** `EVENT=FUNCTION` entries (or a map): each event once, and only the platform's own hook events. */
export function hooksSetting<E extends string>(
  name: string,
  entries: readonly string[] | Readonly<Record<string, string>> | undefined,
  platform: 'Lambda' | 'ECS',
  events: readonly E[],
): HookFunctions<E> | undefined {
  const hooks = assignmentsSetting(name, entries, {
    key: 'EVENT',
    value: 'FUNCTION',
    example: `${events[events.length - 1]}=my-check-function (a Lambda function name or ARN)`,
  });
  if (hooks === undefined) return undefined;
  for (const event of Object.keys(hooks)) {
    if (!(events as readonly string[]).includes(event)) {
      throw settingError(
        name,
        `names ${event}, which is not a hook event of ${platform} deployments`,
        `${platform} hook events: ${events.join(', ')}.`,
      );
    }
  }
  return hooks as HookFunctions<E>;
}
