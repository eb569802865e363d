import { createHash } from 'node:crypto';
import type { ECSService, RevisionLocation } from '@aws-sdk/client-codedeploy';
import type { ECSClient, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ECS_HOOK_EVENTS } from '../appspec/hook-events.js';
import { assertValidBuiltAppspec } from '../appspec/write.js';
import { InvalidInputError } from '../errors/index.js';
import { readRegularFile } from '../files/index.js';
import type { BuildProgress, EcsRevisionSource } from '../gate/revision-source.js';
import { assertHookFunctionsExist } from '../lambda/lambda-calls.js';
import type { EcsRevisionReport } from '../report/model.js';
import { buildEcsAppspec, type EcsAppspecInput } from './ecs-appspec.js';
import { describeService, describeTaskDefinition, registerTaskDefinition } from './ecs-calls.js';
import { checkEcsSource, checkFamily, targetServiceOf } from './ecs-checks.js';
import {
  applyImageOverrides,
  chooseTrafficContainer,
  parseTaskDefinitionFile,
  registerInputFrom,
  TASK_DEFINITION_FILE,
  type TrafficContainer,
} from './task-definition.js';

export interface EcsRevisionOptions extends BuildProgress {
  ecs: ECSClient;
  /** For checking that hook functions exist; without it they are not checked. */
  lambda?: LambdaClient | undefined;
  /** The deployment group's ECS services (GetDeploymentGroup `ecsServices`): the default target. */
  groupServices?: readonly ECSService[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface BuiltEcsRevision {
  /** AppSpecContent: the built AppSpec and its SHA-256. */
  revision: RevisionLocation;
  ecs: EcsRevisionReport;
  /** The AppSpec text (YAML or JSON as asked). */
  appspec: string;
  /** What was registered (the task definition file or the service's, with the image overrides). */
  registered: RegisterTaskDefinitionRequest;
}

/** What the read-only half of an ECS revision found: the service, its current and the new task definition. */
export interface PreparedEcsRevision {
  cluster: string;
  service: string;
  /** The task definition ARN the service (its PRIMARY task set) runs now. */
  current?: string | undefined;
  /** The task definition that would be registered: the file's or the current one, images overridden. */
  input: RegisterTaskDefinitionRequest;
  family: string;
  from: string;
  traffic: TrafficContainer;
  appspecInput: Omit<EcsAppspecInput, 'taskDefinitionArn'>;
  what: string;
  hint: string;
}

/**
 * Reads and checks everything an ECS revision needs, changing nothing: the service (the group's, by
 * default), the task definition to start from (a file, or the service's current one) with the image
 * overrides applied, the load balancer's container and port, the hook functions and the AppSpec.
 * `plan` stops here; `ecsRevision` then registers the task definition.
 */
export async function prepareEcsRevision(
  source: EcsRevisionSource,
  options: EcsRevisionOptions,
): Promise<PreparedEcsRevision> {
  const { ecs, signal } = options;
  checkEcsSource(source);
  const { cluster, service } = targetServiceOf(source, options.groupServices);
  options.onCheck?.(`ECS service ${cluster}/${service}`);
  const described = await describeService(ecs, cluster, service, signal);
  // A CODE_DEPLOY service runs task sets; the PRIMARY one carries production traffic.
  const primary = described.taskSets?.find((set) => set.status === 'PRIMARY');
  const current = primary?.taskDefinition ?? described.taskDefinition;
  const loadBalancer = (primary?.loadBalancers ?? described.loadBalancers)?.[0];

  let base: RegisterTaskDefinitionRequest;
  let from: string;
  if (source.taskDefinitionFile !== undefined) {
    from = source.taskDefinitionFile;
    base = parseTaskDefinitionFile(await readTaskDefinitionFile(from), from);
  } else {
    if (current === undefined) {
      throw new InvalidInputError(`ECS service ${cluster}/${service} has no task definition to start from`, {
        hint: 'Give a task definition file.',
      });
    }
    options.onCheck?.(`task definition ${familyRevisionOf(current)}`);
    const found = await describeTaskDefinition(ecs, current, signal);
    base = registerInputFrom(found.taskDefinition, found.tags);
    from = `the service's task definition ${familyRevisionOf(current)}`;
  }
  const family = checkFamily(base.family, from);
  const input = applyImageOverrides(base, source.images, from);
  const traffic = chooseTrafficContainer(input, source, loadBalancer, from);
  if (options.lambda !== undefined)
    await assertHookFunctionsExist(options.lambda, source.hooks, ECS_HOOK_EVENTS, signal);
  const what = `${cluster}/${service}`;
  const hint =
    'Check the platform version, network configuration, capacity providers and hook function names.';
  const appspecInput = {
    containerName: traffic.containerName,
    containerPort: traffic.containerPort,
    platformVersion: source.platformVersion,
    networkConfiguration: source.networkConfiguration,
    capacityProviderStrategy: source.capacityProviderStrategy,
    hooks: source.hooks,
  };
  // The ARN is not known before registering; one of the same shape shows whether the rest is valid.
  const placeholderArn = `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:1`;
  assertValidBuiltAppspec(
    buildEcsAppspec({ ...appspecInput, taskDefinitionArn: placeholderArn }),
    'ecs',
    what,
    hint,
  );
  return { cluster, service, current, input, family, from, traffic, appspecInput, what, hint };
}

/**
 * The revision of an ECS deployment: everything {@link prepareEcsRevision} checks, and only then
 * registers the new task definition revision, the one thing created before the deployment.
 */
export async function ecsRevision(
  source: EcsRevisionSource,
  options: EcsRevisionOptions,
): Promise<BuiltEcsRevision> {
  const { ecs, signal } = options;
  const { cluster, service, input, family, from, traffic, appspecInput, what, hint } =
    await prepareEcsRevision(source, options);

  const registered = await registerTaskDefinition(ecs, input, from, signal);
  const taskDefinitionArn = registered.taskDefinitionArn ?? '';
  const taskDefinition = `${registered.family ?? family}:${registered.revision ?? familyRevisionOf(taskDefinitionArn)}`;
  const images = Object.entries(source.images ?? {}).map(([name, image]) => `${name}=${image}`);
  options.onChange?.(
    `registered task definition ${taskDefinition}${images.length > 0 ? ` (${images.join(', ')})` : ''}`,
  );

  const appspec = buildEcsAppspec({ ...appspecInput, taskDefinitionArn }, source.appspecFormat ?? 'yaml');
  assertValidBuiltAppspec(appspec, 'ecs', what, hint);
  const sha256 = createHash('sha256').update(appspec).digest('hex');
  return {
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appspec, sha256 } },
    ecs: {
      cluster,
      service,
      taskDefinitionArn,
      taskDefinition,
      origin: source.taskDefinitionFile !== undefined ? 'file' : 'service',
      containerName: traffic.containerName,
      containerPort: traffic.containerPort,
    },
    appspec,
    registered: input,
  };
}

/**
 * An ECS source checked as far as can be without AWS: its own fields, and its task definition file
 * (when it has one) read, parsed and given the image overrides, which must name its containers.
 */
export async function checkEcsSourceLocally(source: EcsRevisionSource): Promise<void> {
  checkEcsSource(source);
  const from = source.taskDefinitionFile;
  if (from === undefined) return;
  applyImageOverrides(parseTaskDefinitionFile(await readTaskDefinitionFile(from), from), source.images, from);
}

async function readTaskDefinitionFile(file: string): Promise<string> {
  return (await readRegularFile(file, TASK_DEFINITION_FILE)).toString('utf8');
}

/** `web:42` from `arn:aws:ecs:…:task-definition/web:42` (or from `web:42` itself). */
function familyRevisionOf(taskDefinition: string): string {
  return taskDefinition.slice(taskDefinition.lastIndexOf('/') + 1);
}
