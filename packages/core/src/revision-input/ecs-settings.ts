import { ECS_HOOK_EVENTS } from '../appspec/hook-events.js';
import {
  applyImageOverrides,
  parseTaskDefinitionFile,
  TASK_DEFINITION_FILE,
} from '../ecs/task-definition.js';
import { GateError } from '../errors/index.js';
import { readRegularFileSync } from '../files/index.js';
import type { EcsRevisionSource } from '../gate/revision-source.js';
import { hooksSetting } from './hooks-setting.js';
import {
  assignmentsSetting,
  choiceSetting,
  existingFileSetting,
  listSetting,
  type SettingNames,
  settingError,
  wholeNumberSetting,
} from './settings.js';

/** A capacity provider as a spec file gives it (a front end's text form is `NAME[:BASE[:WEIGHT]]`). */
export interface CapacityProviderSetting {
  provider: string;
  base?: number | undefined;
  weight?: number | undefined;
}

/** An ECS revision as a front end reads it (flags, action inputs, a spec file). */
export interface EcsSettings {
  taskDefinitionFile?: string | undefined;
  /** `CLUSTER/SERVICE` or a service ARN. */
  service?: string | undefined;
  /** `CONTAINER=IMAGE` entries, or a map of them. */
  images?: readonly string[] | Readonly<Record<string, string>> | undefined;
  container?: string | undefined;
  port?: string | number | undefined;
  platformVersion?: string | undefined;
  subnets?: string | readonly string[] | undefined;
  securityGroups?: string | readonly string[] | undefined;
  assignPublicIp?: string | undefined;
  capacityProviders?: ReadonlyArray<string | CapacityProviderSetting> | undefined;
  hooks?: readonly string[] | Readonly<Record<string, string>> | undefined;
  appspecFormat?: string | undefined;
}

/**
 * The ECS revision the settings describe, checked as far as can be without AWS: the task definition
 * file is read and parsed now, and image overrides must name its containers, so a typo costs no call.
 * With neither a file nor images, the service's current task definition is registered again as it is
 * (a redeploy, say of a moving image tag); the service defaults to the deployment group's.
 */
export function ecsSourceFrom(
  settings: EcsSettings,
  names: SettingNames<EcsSettings>,
  cwd: string,
): EcsRevisionSource {
  const images = assignmentsSetting(names.images, settings.images, {
    key: 'CONTAINER',
    value: 'IMAGE',
    example:
      'web=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2 (the container name from the task definition)',
  });
  let taskDefinitionFile: string | undefined;
  if (settings.taskDefinitionFile !== undefined) {
    taskDefinitionFile = existingFileSetting(names.taskDefinitionFile, settings.taskDefinitionFile, cwd);
    const file = settings.taskDefinitionFile;
    const parsed = restated(names.taskDefinitionFile, 'is not a task definition to register', () =>
      parseTaskDefinitionFile(
        readRegularFileSync(taskDefinitionFile as string, TASK_DEFINITION_FILE).toString('utf8'),
        file,
      ),
    );
    if (images) {
      restated(names.images, 'does not fit the task definition', () =>
        applyImageOverrides(parsed, images, file),
      );
    }
  }
  const service = settings.service === undefined ? undefined : serviceRef(names.service, settings.service);
  const containerName = settings.container?.trim();
  if (containerName === '') {
    throw settingError(names.container, 'is empty', 'Name the container the load balancer sends traffic to.');
  }
  const containerPort = wholeNumberSetting(names.port, settings.port, {
    min: 1,
    max: 65535,
    what: 'a port number',
    example: 'the container port the load balancer sends traffic to, e.g. 80',
  });
  const platformVersion = settings.platformVersion?.trim();
  if (platformVersion === '') {
    throw settingError(
      names.platformVersion,
      'is empty',
      'Give a Fargate platform version such as LATEST or 1.4.0, or leave it out.',
    );
  }
  const network = networkOf(settings, names);
  const capacity = (settings.capacityProviders ?? []).map((entry) =>
    typeof entry === 'string'
      ? capacityProvider(names.capacityProviders, entry)
      : checkedProvider(names.capacityProviders, entry),
  );
  const hooks = hooksSetting(names.hooks, settings.hooks, 'ECS', ECS_HOOK_EVENTS);
  const format = choiceSetting(names.appspecFormat, settings.appspecFormat, ['yaml', 'json'] as const);
  return {
    kind: 'ecs',
    ...(taskDefinitionFile !== undefined ? { taskDefinitionFile } : {}),
    ...(service ?? {}),
    ...(images ? { images } : {}),
    ...(containerName !== undefined ? { containerName } : {}),
    ...(containerPort !== undefined ? { containerPort } : {}),
    ...(platformVersion !== undefined ? { platformVersion } : {}),
    ...(network ? { networkConfiguration: network } : {}),
    ...(capacity.length > 0 ? { capacityProviderStrategy: capacity } : {}),
    ...(hooks ? { hooks } : {}),
    ...(format ? { appspecFormat: format } : {}),
  };
}

/** Core's check of a file, its error restated as one about the setting that named the file. */
function restated<T>(name: string, problem: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    throw settingError(
      name,
      `${problem}: ${error.message.replace(/; nothing was created$/, '')}`,
      error.hint ?? `Fix ${name}.`,
    );
  }
}

/** `CLUSTER/SERVICE`, or a service ARN (`arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`). */
export function serviceRef(name: string, value: string): { cluster: string; service: string } {
  const text = value.trim();
  const isArn = text.startsWith('arn:');
  const path = isArn ? text.slice(text.indexOf(':service/') + ':service/'.length) : text;
  const parts = path.split('/');
  const [cluster = '', service = ''] = parts;
  if (parts.length !== 2 || cluster === '' || service === '' || (isArn && !text.includes(':service/'))) {
    throw settingError(
      name,
      `is "${value}", not CLUSTER/SERVICE`,
      'Write it as my-cluster/my-service (or the service ARN); leave it out to deploy the deployment group’s service.',
    );
  }
  return { cluster, service };
}

/**
 * The replacement task set's awsvpc network. CodeDeploy replaces subnets, security groups and public
 * IP assignment together, so the last two without subnets are a mistake, not a partial override.
 */
function networkOf(
  settings: EcsSettings,
  names: SettingNames<EcsSettings>,
): EcsRevisionSource['networkConfiguration'] {
  const subnets = listSetting(names.subnets, settings.subnets);
  const groups = listSetting(names.securityGroups, settings.securityGroups);
  const publicIp = choiceSetting(names.assignPublicIp, settings.assignPublicIp, [
    'ENABLED',
    'DISABLED',
  ] as const);
  const together = `CodeDeploy replaces the network configuration as a whole: give ${names.subnets} and ${names.securityGroups} together (or neither, to keep the service’s).`;
  if (subnets === undefined) {
    if (groups === undefined && publicIp === undefined) return undefined;
    throw settingError(
      groups !== undefined ? names.securityGroups : names.assignPublicIp,
      `needs ${names.subnets}`,
      together,
    );
  }
  if (groups === undefined) throw settingError(names.subnets, `needs ${names.securityGroups}`, together);
  return { subnets, securityGroups: groups, ...(publicIp ? { assignPublicIp: publicIp } : {}) };
}

/** `NAME[:BASE[:WEIGHT]]`: base 0-100000 and weight 0-1000, as ECS takes them. */
function capacityProvider(name: string, entry: string): CapacityProviderSetting {
  const [provider = '', base, weight, ...rest] = entry.split(':').map((part) => part.trim());
  const hint = 'Write each as NAME[:BASE[:WEIGHT]], e.g. FARGATE:1:1 and FARGATE_SPOT::3.';
  if (provider === '') throw settingError(name, `has "${entry}": no capacity provider name`, hint);
  if (rest.length > 0) throw settingError(name, `has "${entry}": more than NAME:BASE:WEIGHT`, hint);
  return checkedProvider(name, {
    provider,
    ...(base ? { base: numberIn(name, entry, 'BASE', base, 100_000, hint) } : {}),
    ...(weight ? { weight: numberIn(name, entry, 'WEIGHT', weight, 1_000, hint) } : {}),
  });
}

function checkedProvider(name: string, entry: CapacityProviderSetting): CapacityProviderSetting {
  const hint = 'Give each capacity provider a name, a base from 0 to 100000 and a weight from 0 to 1000.';
  if (typeof entry.provider !== 'string' || entry.provider.trim() === '') {
    throw settingError(name, 'has a capacity provider without a name', hint);
  }
  const what = entry.provider;
  const base =
    entry.base === undefined ? undefined : numberIn(name, what, 'BASE', String(entry.base), 100_000, hint);
  const weight =
    entry.weight === undefined
      ? undefined
      : numberIn(name, what, 'WEIGHT', String(entry.weight), 1_000, hint);
  return {
    provider: entry.provider.trim(),
    ...(base !== undefined ? { base } : {}),
    ...(weight !== undefined ? { weight } : {}),
  };
}

function numberIn(
  name: string,
  entry: string,
  what: string,
  text: string,
  max: number,
  hint: string,
): number {
  const n = Number(text);
  if (/^\d+$/.test(text) && n <= max) return n;
  throw settingError(name, `has "${entry}": ${what} must be a whole number from 0 to ${max}`, hint);
}
