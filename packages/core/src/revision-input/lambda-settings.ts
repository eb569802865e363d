import { LAMBDA_HOOK_EVENTS } from '../appspec/hook-events.js';
import type { LambdaRevisionSource } from '../gate/revision-source.js';
import { hooksSetting } from './hooks-setting.js';
import {
  choiceSetting,
  existingFileSetting,
  requiredSetting,
  type SettingNames,
  settingError,
} from './settings.js';

/** A Lambda revision as a front end reads it (flags, action inputs, a spec file). */
export interface LambdaSettings {
  functionName?: string | undefined;
  alias?: string | undefined;
  version?: string | number | undefined;
  zipFile?: string | undefined;
  /** `EVENT=FUNCTION` entries, or a map of them. */
  hooks?: readonly string[] | Readonly<Record<string, string>> | undefined;
  appspecFormat?: string | undefined;
}

/**
 * The Lambda revision the settings describe, checked as far as can be without AWS (a typo fails
 * before anything is published or created). Paths are relative to `cwd`.
 */
export function lambdaSourceFrom(
  settings: LambdaSettings,
  names: SettingNames<LambdaSettings>,
  cwd: string,
): LambdaRevisionSource {
  const functionName = requiredSetting(
    names.functionName,
    settings.functionName,
    'Name the function whose alias the deployment moves (its name or ARN).',
  );
  const alias = requiredSetting(
    names.alias,
    settings.alias,
    `Name the alias CodeDeploy shifts traffic on, e.g. live (aws lambda list-aliases --function-name ${functionName}).`,
  );
  const version = settings.version === undefined ? undefined : String(settings.version).trim();
  if (version !== undefined && settings.zipFile !== undefined) {
    throw settingError(
      names.zipFile,
      `cannot be combined with ${names.version}: give the version to shift to, or the code to publish as a new one`,
      `Drop ${names.version} to publish the zip as a new version, or drop ${names.zipFile} to shift to an existing version.`,
    );
  }
  if (version !== undefined && !/^[1-9]\d*$/.test(version)) {
    throw settingError(
      names.version,
      `must be a published version number, not "${version}"`,
      'Give a number such as 7 ($LATEST and alias names cannot be shifted to); leave it out to publish $LATEST.',
    );
  }
  const zipFile =
    settings.zipFile === undefined ? undefined : existingFileSetting(names.zipFile, settings.zipFile, cwd);
  const hooks = hooksSetting(names.hooks, settings.hooks, 'Lambda', LAMBDA_HOOK_EVENTS);
  const format = choiceSetting(names.appspecFormat, settings.appspecFormat, ['yaml', 'json'] as const);
  return {
    kind: 'lambda',
    functionName,
    alias,
    ...(version !== undefined ? { targetVersion: version } : {}),
    ...(zipFile !== undefined ? { zipFile } : {}),
    ...(hooks ? { hooks } : {}),
    ...(format ? { appspecFormat: format } : {}),
  };
}
