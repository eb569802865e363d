import {
  ECS_HOOK_EVENTS,
  type EcsRevisionSource,
  InvalidInputError,
  LAMBDA_HOOK_EVENTS,
  type LambdaRevisionSource,
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
 * ```
 *
 * ```yaml
 * ecs:
 *   taskDefinition: deploy/taskdef.json   # or leave out: the service's current task definition
 *   service: prod/web                     # default: the deployment group's
 *   images: { web: { artifact: WebImage } }   # or web: 123456789012.dkr.ecr.../web:2
 *   container: web
 *   port: 8080
 *   platformVersion: LATEST
 *   network: { subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED }
 *   capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }]
 *   hooks: { AfterAllowTestTraffic: web-test-traffic-check }
 * ```
 */
export type RevisionSpec = LambdaSpec | EcsSpec;

export interface LambdaSpec {
  kind: 'lambda';
  functionName: string;
  alias: string;
  version?: string;
  /** A code package inside the input artifact. */
  zip?: string;
  hooks?: LambdaRevisionSource['hooks'];
}

export interface EcsSpec {
  kind: 'ecs';
  /** A task definition JSON file inside the input artifact. */
  taskDefinition?: string;
  cluster?: string;
  service?: string;
  images?: Record<string, ImageRef>;
  containerName?: string;
  containerPort?: number;
  platformVersion?: string;
  networkConfiguration?: EcsRevisionSource['networkConfiguration'];
  capacityProviderStrategy?: EcsRevisionSource['capacityProviderStrategy'];
  hooks?: EcsRevisionSource['hooks'];
}

/** An image as written, or the `ImageURI` of an input artifact's `imageDetail.json`. */
export type ImageRef = { image: string } | { artifact: string };

const LAMBDA_KEYS = ['function', 'alias', 'version', 'zip', 'hooks'];
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
];

/**
 * Reads a RevisionSpec file's text. Every mistake is an InvalidInputError naming the file and the
 * field (`RevisionSpec deploy/revision.yaml: lambda.alias is required`), raised before anything is
 * created.
 */
export function parseRevisionSpec(text: string, file: string): RevisionSpec {
  const fail = (field: string, problem: string, hint: string): never => {
    throw new InvalidInputError(
      `RevisionSpec ${file}: ${field === '' ? '' : `${field} `}${problem}; nothing was created`,
      { hint },
    );
  };
  const emptyHint =
    'Describe one deployment: a top-level "lambda:" (function, alias...) or "ecs:" (taskDefinition, images...) mapping.';
  // js-yaml refuses a document with nothing in it as a syntax error; it is a missing spec.
  if (text.replace(/^\s*#.*$/gm, '').trim() === '') return fail('', 'is empty', emptyHint);
  let document: unknown;
  try {
    document = load(text.replace(/^\uFEFF/, ''), { filename: file });
  } catch (error) {
    const mark = error instanceof YAMLException ? error.mark : undefined;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    const reason = error instanceof YAMLException ? error.reason : (error as Error).message;
    return fail('', `is not valid YAML or JSON${where}: ${reason}`, 'Fix the syntax (JSON is YAML too).');
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
  const functionName = r.string(
    spec,
    'lambda.function',
    true,
    'Name the function: function: my-fn (or its ARN).',
  );
  const alias = r.string(spec, 'lambda.alias', true, 'Name the alias CodeDeploy shifts: alias: live.');
  const version = r.scalar(spec, 'lambda.version');
  const zip = r.string(spec, 'lambda.zip', false, 'Give the path of the zip inside the artifact.');
  if (version !== undefined && zip !== undefined) {
    r.fail(
      'lambda.version',
      'and lambda.zip are both set',
      'Shift to an existing version (version: 7), or upload and publish new code (zip: path/in/artifact.zip).',
    );
  }
  if (version !== undefined && !/^[1-9]\d*$/.test(version)) {
    r.fail(
      'lambda.version',
      `must be a published version number, not "${version}"`,
      'Give a number such as version: 7; leave it out to publish $LATEST.',
    );
  }
  const hooks = r.hooks(spec, 'lambda.hooks', LAMBDA_HOOK_EVENTS);
  return {
    kind: 'lambda',
    functionName: functionName as string,
    alias: alias as string,
    ...(version !== undefined ? { version } : {}),
    ...(zip !== undefined ? { zip } : {}),
    ...(hooks ? { hooks } : {}),
  };
}

function ecsSpec(r: FieldReader, spec: Fields): EcsSpec {
  r.known(spec, 'ecs', ECS_KEYS);
  const out: EcsSpec = { kind: 'ecs' };
  const taskDefinition = r.string(
    spec,
    'ecs.taskDefinition',
    false,
    'Give the path of the task definition JSON inside the artifact.',
  );
  if (taskDefinition !== undefined) out.taskDefinition = taskDefinition;
  const service = r.string(spec, 'ecs.service', false, 'Write the service as CLUSTER/SERVICE.');
  if (service !== undefined) {
    const [cluster, name, ...rest] = service.split('/');
    if (!cluster || !name || rest.length > 0) {
      r.fail('ecs.service', `must be CLUSTER/SERVICE, not "${service}"`, 'For example service: prod/web.');
    }
    out.cluster = cluster as string;
    out.service = name as string;
  }
  if (spec.images !== undefined) {
    const images = r.object(spec.images, 'ecs.images', 'a mapping of container name to image');
    out.images = {};
    for (const [container, value] of Object.entries(images)) {
      const field = `ecs.images.${container}`;
      if (typeof value === 'string' && value.trim() !== '') {
        out.images[container] = { image: value.trim() };
      } else if (isObject(value) && typeof value.artifact === 'string' && Object.keys(value).length === 1) {
        out.images[container] = { artifact: value.artifact };
      } else {
        r.fail(
          field,
          `is ${describe(value)}`,
          `Give the image (${container}: 123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag) or the input artifact holding its imageDetail.json (${container}: { artifact: ImageArtifact }).`,
        );
      }
    }
  }
  const container = r.string(
    spec,
    'ecs.container',
    false,
    'Name the container the load balancer sends traffic to.',
  );
  if (container !== undefined) out.containerName = container;
  if (spec.port !== undefined) {
    const port = Number(spec.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535 || typeof spec.port === 'boolean') {
      r.fail(
        'ecs.port',
        `must be a port number from 1 to 65535, not ${describe(spec.port)}`,
        'For example port: 8080.',
      );
    }
    out.containerPort = port;
  }
  const platformVersion = r.string(
    spec,
    'ecs.platformVersion',
    false,
    'For example platformVersion: LATEST.',
  );
  if (platformVersion !== undefined) out.platformVersion = platformVersion;
  if (spec.network !== undefined) out.networkConfiguration = network(r, spec.network);
  if (spec.capacityProviders !== undefined)
    out.capacityProviderStrategy = capacityProviders(r, spec.capacityProviders);
  const hooks = r.hooks(spec, 'ecs.hooks', ECS_HOOK_EVENTS);
  if (hooks) out.hooks = hooks;
  return out;
}

function network(r: FieldReader, value: unknown): NonNullable<EcsSpec['networkConfiguration']> {
  const hint =
    'network: { subnets: [subnet-1], securityGroups: [sg-1], assignPublicIp: DISABLED } (CodeDeploy takes all three together).';
  const net = r.object(value, 'ecs.network', 'a mapping');
  r.known(net, 'ecs.network', ['subnets', 'securityGroups', 'assignPublicIp']);
  const list = (key: string, required: boolean) => {
    const items = net[key];
    if (items === undefined && !required) return undefined;
    if (
      !Array.isArray(items) ||
      items.length === 0 ||
      !items.every((i) => typeof i === 'string' && i !== '')
    ) {
      return r.fail(
        `ecs.network.${key}`,
        `must list ${key === 'subnets' ? 'subnet' : 'security group'} ids, not ${describe(items)}`,
        hint,
      );
    }
    return items as string[];
  };
  const subnets = list('subnets', true) as string[];
  const securityGroups = list('securityGroups', true);
  const assign = net.assignPublicIp;
  if (assign !== undefined && assign !== 'ENABLED' && assign !== 'DISABLED') {
    r.fail('ecs.network.assignPublicIp', `must be ENABLED or DISABLED, not ${describe(assign)}`, hint);
  }
  return {
    subnets,
    ...(securityGroups ? { securityGroups } : {}),
    ...(assign !== undefined ? { assignPublicIp: assign as 'ENABLED' | 'DISABLED' } : {}),
  };
}

function capacityProviders(r: FieldReader, value: unknown): NonNullable<EcsSpec['capacityProviderStrategy']> {
  const hint = 'capacityProviders: [{ provider: FARGATE_SPOT, base: 1, weight: 2 }]';
  if (!Array.isArray(value) || value.length === 0) {
    return r.fail('ecs.capacityProviders', `must list capacity providers, not ${describe(value)}`, hint);
  }
  return value.map((item, index) => {
    const at = `ecs.capacityProviders[${index}]`;
    const entry = r.object(item, at, 'a mapping');
    r.known(entry, at, ['provider', 'base', 'weight']);
    const provider = r.string(entry, `${at}.provider`, true, hint) as string;
    const number = (key: 'base' | 'weight', max: number) => {
      const n = entry[key];
      if (n === undefined) return undefined;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
        return r.fail(`${at}.${key}`, `must be a whole number from 0 to ${max}, not ${describe(n)}`, hint);
      }
      return n;
    };
    const base = number('base', 100000);
    const weight = number('weight', 1000);
    return { provider, ...(base !== undefined ? { base } : {}), ...(weight !== undefined ? { weight } : {}) };
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

  /** A non-empty string (numbers are not names: `alias: 7` is refused). */
  string(fields: Fields, field: string, required: boolean, hint: string): string | undefined {
    const value = fields[field.slice(field.lastIndexOf('.') + 1)];
    if (value === undefined || value === null) {
      return required ? this.fail(field, 'is required', hint) : undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      return this.fail(field, `must be a non-empty string, not ${describe(value)}`, hint);
    }
    return value.trim();
  }

  /** A string or a number, as text (`version: 7` and `version: "7"` alike). */
  scalar(fields: Fields, field: string): string | undefined {
    const value = fields[field.slice(field.lastIndexOf('.') + 1)];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) {
      return String(value).trim();
    }
    return this.fail(field, `must be a number, not ${describe(value)}`, 'For example version: 7.');
  }

  hooks<E extends string>(
    fields: Fields,
    field: string,
    events: readonly E[],
  ): Partial<Record<E, string>> | undefined {
    const value = fields.hooks;
    if (value === undefined || value === null) return undefined;
    const hint = `Map lifecycle events to hook functions (names or ARNs): ${events.join(', ')}.`;
    const hooks = this.object(value, field, 'a mapping of lifecycle event to function');
    const out: Partial<Record<E, string>> = {};
    for (const [event, fn] of Object.entries(hooks)) {
      if (!(events as readonly string[]).includes(event)) {
        this.fail(`${field}.${event}`, 'is not a lifecycle hook of this kind of deployment', hint);
      }
      if (typeof fn !== 'string' || fn.trim() === '') {
        this.fail(`${field}.${event}`, `must name a function, not ${describe(fn)}`, hint);
      }
      out[event as E] = (fn as string).trim();
    }
    return out;
  }
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
