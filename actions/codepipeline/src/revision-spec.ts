import {
  type EcsSettings,
  type LambdaSettings,
  type SettingNames,
  settingError,
} from '@codedeploy-gate/core';
import { load, YAMLException } from 'js-yaml';

/**
 * The `RevisionSpec` file: what a Lambda or ECS deployment ships, in one YAML or JSON file of the
 * input artifact, so the action type needs one configuration property for it instead of a dozen
 * (CodePipeline allows ten per action type). Paths are inside the input artifact; images may come
 * from another input artifact's `imageDetail.json` (an ECR source action's output).
 *
 * ```yaml
 * lambda:
 *   function: checkout            # name or ARN
 *   alias: live
 *   version: 7                    # or zip: build/checkout.zip; neither: publish $LATEST
 *   hooks: { AfterAllowTraffic: checkout-smoke }
 *   appspecFormat: yaml           # or json
 * ```
 *
 * ```yaml
 * ecs:
 *   taskDefinition: deploy/taskdef.json   # or leave out: the service's current task definition
 *   service: prod/web                     # or the service ARN; default: the deployment group's
 *   images: { web: { artifact: WebImage } }   # or web: 123456789012.dkr.ecr.../web:2
 *   container: web
 *   port: 8080
 *   platformVersion: LATEST
 *   network: { subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED }
 *   capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }]
 *   hooks: { AfterAllowTestTraffic: web-test-traffic-check }
 *   appspecFormat: yaml
 * ```
 *
 * This module reads the file's structure (a mapping here, a list there, strings where names go, no
 * unknown keys); what the values may be is core's to decide (`lambdaSourceFrom`, `ecsSourceFrom`,
 * the same rules as the CLI's flags and the GitHub Action's inputs), with the setting names below so
 * its messages name the file and the field.
 */
export type RevisionSpec = LambdaSpec | EcsSpec;

export interface LambdaSpec {
  kind: 'lambda';
  /** `zipFile` is a path inside the input artifact, as written. */
  settings: LambdaSettings;
}

export interface EcsSpec {
  kind: 'ecs';
  /** `taskDefinitionFile` is a path inside the input artifact, as written; images are apart. */
  settings: Omit<EcsSettings, 'images'>;
  images?: Record<string, ImageRef>;
}

/** An image as written, or the `ImageURI` of an input artifact's `imageDetail.json`. */
export type ImageRef = { image: string } | { artifact: string };

/** Each setting's field in the file, for messages (`lambda.zip`, `ecs.network.subnets`). */
export const LAMBDA_FIELDS: SettingNames<LambdaSettings> = {
  functionName: 'lambda.function',
  alias: 'lambda.alias',
  version: 'lambda.version',
  zipFile: 'lambda.zip',
  hooks: 'lambda.hooks',
  appspecFormat: 'lambda.appspecFormat',
};

export const ECS_FIELDS: SettingNames<EcsSettings> = {
  taskDefinitionFile: 'ecs.taskDefinition',
  service: 'ecs.service',
  images: 'ecs.images',
  container: 'ecs.container',
  port: 'ecs.port',
  platformVersion: 'ecs.platformVersion',
  subnets: 'ecs.network.subnets',
  securityGroups: 'ecs.network.securityGroups',
  assignPublicIp: 'ecs.network.assignPublicIp',
  capacityProviders: 'ecs.capacityProviders',
  hooks: 'ecs.hooks',
  appspecFormat: 'ecs.appspecFormat',
};

/** How core's messages name a setting of the spec: `RevisionSpec deploy/revision.yaml: ecs.port`. */
export function specSettingNames<S>(fields: SettingNames<S>, file: string): SettingNames<S> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [key, `RevisionSpec ${file}: ${field}`]),
  ) as SettingNames<S>;
}

const LAMBDA_KEYS = ['function', 'alias', 'version', 'zip', 'hooks', 'appspecFormat'];
const ECS_KEYS = [
  'taskDefinition',
  'service',
  'images',
  'container',
  'port',
  'platformVersion',
  'network',
  'capacityProviders',
  'hooks',
  'appspecFormat',
];

/**
 * Reads a RevisionSpec file's text into settings for core. Every mistake of structure is an
 * InvalidInputError naming the file and the field (`RevisionSpec deploy/revision.yaml: lambda.alias
 * must be a string, not 7`), raised before anything is created.
 */
export function parseRevisionSpec(text: string, file: string): RevisionSpec {
  const fail: Fail = (field, problem, hint) => {
    throw settingError(`RevisionSpec ${file}:${field === '' ? '' : ` ${field}`}`, problem, hint);
  };
  const emptyHint =
    'Describe one deployment: a top-level "lambda:" (function, alias...) or "ecs:" (taskDefinition, images...) mapping.';
  // js-yaml refuses a document with nothing in it as a syntax error; it is a missing spec.
  if (text.replace(/^\s*#.*$/gm, '').trim() === '') return fail('', 'is empty', emptyHint);
  let document: unknown;
  try {
    document = load(text.replace(/^\uFEFF/, ''), { filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // The reason and position only: js-yaml's message quotes the lines around the mistake.
    const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    return fail(
      '',
      `is not valid YAML or JSON${where}: ${error.reason}`,
      'Fix the syntax (JSON is YAML too).',
    );
  }
  const top = objectAt(document, '', fail, 'a mapping with one key, lambda or ecs');
  const kinds = Object.keys(top);
  if (kinds.length !== 1 || (kinds[0] !== 'lambda' && kinds[0] !== 'ecs')) {
    return fail(
      '',
      kinds.length === 0 ? 'is empty' : `has ${kinds.map((k) => `"${k}"`).join(', ')} at the top`,
      emptyHint,
    );
  }
  const reader = new FieldReader(fail);
  if (kinds[0] === 'lambda') return lambdaSpec(reader, objectAt(top.lambda, 'lambda', fail, 'a mapping'));
  return ecsSpec(reader, objectAt(top.ecs, 'ecs', fail, 'a mapping'));
}

type Fail = (field: string, problem: string, hint: string) => never;
type Fields = Record<string, unknown>;

function lambdaSpec(r: FieldReader, spec: Fields): LambdaSpec {
  r.known(spec, 'lambda', LAMBDA_KEYS);
  const settings: LambdaSettings = {
    functionName: r.string(spec, 'lambda.function', 'Name the function: function: my-fn (or its ARN).'),
    alias: r.string(spec, 'lambda.alias', 'Name the alias CodeDeploy shifts: alias: live.'),
    version: r.scalar(spec, 'lambda.version', 'For example version: 7.'),
    zipFile: r.string(spec, 'lambda.zip', 'Give the path of the zip inside the artifact.'),
    hooks: r.hooks(spec, 'lambda.hooks'),
    appspecFormat: r.string(spec, 'lambda.appspecFormat', 'appspecFormat: yaml or appspecFormat: json.'),
  };
  return { kind: 'lambda', settings: defined(settings) };
}

function ecsSpec(r: FieldReader, spec: Fields): EcsSpec {
  r.known(spec, 'ecs', ECS_KEYS);
  const settings: EcsSpec['settings'] = {
    taskDefinitionFile: r.string(
      spec,
      'ecs.taskDefinition',
      'Give the path of the task definition JSON inside the artifact.',
    ),
    service: r.string(spec, 'ecs.service', 'Write the service as CLUSTER/SERVICE, or give its ARN.'),
    container: r.string(spec, 'ecs.container', 'Name the container the load balancer sends traffic to.'),
    port: r.scalar(spec, 'ecs.port', 'For example port: 8080.'),
    platformVersion: r.string(spec, 'ecs.platformVersion', 'For example platformVersion: LATEST.'),
    ...network(r, spec.network),
    capacityProviders: capacityProviders(r, spec.capacityProviders),
    hooks: r.hooks(spec, 'ecs.hooks'),
    appspecFormat: r.string(spec, 'ecs.appspecFormat', 'appspecFormat: yaml or appspecFormat: json.'),
  };
  const images = imagesOf(r, spec.images);
  return { kind: 'ecs', settings: defined(settings), ...(images ? { images } : {}) };
}

function imagesOf(r: FieldReader, value: unknown): Record<string, ImageRef> | undefined {
  if (value === undefined || value === null) return undefined;
  const images = r.object(value, 'ecs.images', 'a mapping of container name to image');
  const out: Record<string, ImageRef> = {};
  for (const [container, image] of Object.entries(images)) {
    if (typeof image === 'string') {
      out[container] = { image };
    } else if (isObject(image) && typeof image.artifact === 'string' && Object.keys(image).length === 1) {
      out[container] = { artifact: image.artifact };
    } else {
      r.fail(
        `ecs.images.${container}`,
        `is ${describe(image)}`,
        `Give the image (${container}: 123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag) or the input artifact holding its imageDetail.json (${container}: { artifact: ImageArtifact }).`,
      );
    }
  }
  return out;
}

function network(
  r: FieldReader,
  value: unknown,
): Pick<EcsSettings, 'subnets' | 'securityGroups' | 'assignPublicIp'> {
  if (value === undefined || value === null) return {};
  const hint =
    'network: { subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED } (CodeDeploy takes them together).';
  const net = r.object(value, 'ecs.network', 'a mapping');
  r.known(net, 'ecs.network', ['subnets', 'securityGroups', 'assignPublicIp']);
  return {
    subnets: r.ids(net, 'ecs.network.subnets', hint),
    securityGroups: r.ids(net, 'ecs.network.securityGroups', hint),
    assignPublicIp: r.string(net, 'ecs.network.assignPublicIp', hint),
  };
}

function capacityProviders(r: FieldReader, value: unknown): EcsSettings['capacityProviders'] {
  if (value === undefined || value === null) return undefined;
  const hint = 'capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }] (or [FARGATE_SPOT:1:2])';
  if (!Array.isArray(value)) {
    return r.fail('ecs.capacityProviders', `must be a list, not ${describe(value)}`, hint);
  }
  return value.map((item, index) => {
    const at = `ecs.capacityProviders[${index}]`;
    if (typeof item === 'string') return item;
    const entry = r.object(item, at, 'a mapping or NAME:BASE:WEIGHT');
    r.known(entry, at, ['provider', 'base', 'weight']);
    const number = (key: 'base' | 'weight') => {
      const n = entry[key];
      if (n === undefined || n === null) return undefined;
      return typeof n === 'number' ? n : r.fail(`${at}.${key}`, `must be a number, not ${describe(n)}`, hint);
    };
    return defined({
      provider: r.string(entry, `${at}.provider`, hint) ?? '',
      base: number('base'),
      weight: number('weight'),
    });
  });
}

/** Reads fields of the parsed document, failing with the field's dotted path. */
class FieldReader {
  constructor(readonly fail: Fail) {}

  object(value: unknown, field: string, what: string): Fields {
    return objectAt(value, field, this.fail, what);
  }

  known(fields: Fields, at: string, keys: string[]): void {
    const unknown = Object.keys(fields).find((key) => !keys.includes(key));
    if (unknown === undefined) return;
    this.fail(`${at}.${unknown}`, 'is not a field here', `${at} takes ${keys.join(', ')}.`);
  }

  /** A string (numbers are not names: `alias: 7` is refused); core decides whether it will do. */
  string(fields: Fields, field: string, hint: string): string | undefined {
    const value = fields[keyOf(field)];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      const scalar = typeof value === 'number' || typeof value === 'boolean';
      const quote = scalar
        ? ` YAML reads ${describe(value)} as a ${typeof value}: quote it to mean the text.`
        : '';
      return this.fail(field, `must be a string, not ${describe(value)}`, `${hint}${quote}`);
    }
    return value;
  }

  /** A string or a number (`version: 7` and `version: "7"` alike). */
  scalar(fields: Fields, field: string, hint: string): string | number | undefined {
    const value = fields[keyOf(field)];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'string') return value;
    return this.fail(field, `must be a number, not ${describe(value)}`, hint);
  }

  /** Ids: a list of strings, or one string of them separated by commas or spaces. */
  ids(fields: Fields, field: string, hint: string): string | string[] | undefined {
    const value = fields[keyOf(field)];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    return this.fail(field, `must list ids, not ${describe(value)}`, hint);
  }

  /** A mapping of lifecycle event to function name or ARN (which events, core says). */
  hooks(fields: Fields, field: string): Record<string, string> | undefined {
    const value = fields.hooks;
    if (value === undefined || value === null) return undefined;
    const hint = 'Map lifecycle events to hook functions (names or ARNs): AfterAllowTraffic: my-check.';
    const hooks = this.object(value, field, 'a mapping of lifecycle event to function');
    for (const [event, fn] of Object.entries(hooks)) {
      if (typeof fn !== 'string')
        this.fail(`${field}.${event}`, `must name a function, not ${describe(fn)}`, hint);
    }
    return hooks as Record<string, string>;
  }
}

function keyOf(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}

/** Without the keys whose value is undefined (core reads a key that is there as a setting given). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function objectAt(value: unknown, field: string, fail: Fail, what: string): Fields {
  if (isObject(value)) return value;
  return fail(field, `must be ${what}, not ${describe(value)}`, 'See the RevisionSpec format in the README.');
}

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
