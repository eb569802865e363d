import { InvalidInputError } from '@codedeploy-gate/core/errors';
import type { EcsRevisionSource, LambdaRevisionSource } from '@codedeploy-gate/core/gate';
import { ecsSourceFrom, lambdaSourceFrom } from '@codedeploy-gate/core/revision-input';

/** `deploy` options that build a Lambda or ECS revision (the AppSpec is written by the gate). */
export const COMPUTE_OPTIONS = {
  'lambda-function': { type: 'string' },
  'lambda-alias': { type: 'string' },
  'lambda-version': { type: 'string' },
  'lambda-zip': { type: 'string' },
  'ecs-task-definition': { type: 'string' },
  'ecs-service': { type: 'string' },
  'ecs-image': { type: 'string', multiple: true },
  'ecs-container': { type: 'string' },
  'ecs-port': { type: 'string' },
  'ecs-platform-version': { type: 'string' },
  'ecs-subnets': { type: 'string' },
  'ecs-security-groups': { type: 'string' },
  'ecs-assign-public-ip': { type: 'string' },
  'ecs-capacity-provider': { type: 'string', multiple: true },
  hook: { type: 'string', multiple: true },
  'appspec-format': { type: 'string' },
} as const;

export const COMPUTE_USAGE = `Lambda (the alias moves to a version; the AppSpec is built):
  --lambda-function NAME   the function (name or ARN)
  --lambda-alias ALIAS     the alias CodeDeploy shifts traffic on (its version is the current one)
  --lambda-version N       shift to this published version
  --lambda-zip FILE        or: upload this code package, publish it, shift to the new version
                           (neither: publish $LATEST and shift to it)

ECS (a task definition is registered; the AppSpec is built):
  --ecs-task-definition FILE   a task definition JSON (RegisterTaskDefinition input or
                               describe-task-definition output)
  --ecs-service CLUSTER/SERVICE  the service to start from (its current task definition) and deploy
                               to; default the deployment group's. Both may be given.
  --ecs-image CONTAINER=IMAGE  replace a container's image (repeatable)
  --ecs-container NAME, --ecs-port N   the container and port the load balancer sends traffic to
                               (default: the service's load balancer container, else the
                               only container with a port mapping)
  --ecs-platform-version V     Fargate platform version (e.g. LATEST, 1.4.0)
  --ecs-subnets a,b --ecs-security-groups a,b [--ecs-assign-public-ip ENABLED|DISABLED]
                               the replacement tasks' awsvpc network (default: the service's)
  --ecs-capacity-provider NAME[:BASE[:WEIGHT]]  capacity provider strategy (repeatable)

Both:
  --hook EVENT=FUNCTION    a lifecycle hook Lambda function (repeatable).
                           Lambda: BeforeAllowTraffic, AfterAllowTraffic.
                           ECS: BeforeInstall, AfterInstall, AfterAllowTestTraffic,
                           BeforeAllowTraffic, AfterAllowTraffic
  --appspec-format yaml|json   how the built AppSpec is written (default yaml)`;

type Values = {
  [K in keyof typeof COMPUTE_OPTIONS]?: (typeof COMPUTE_OPTIONS)[K] extends { multiple: true }
    ? string[] | undefined
    : string | undefined;
};

const LAMBDA_FLAGS = ['lambda-function', 'lambda-alias', 'lambda-version', 'lambda-zip'] as const;
const ECS_FLAGS = [
  'ecs-task-definition',
  'ecs-service',
  'ecs-image',
  'ecs-container',
  'ecs-port',
  'ecs-platform-version',
  'ecs-subnets',
  'ecs-security-groups',
  'ecs-assign-public-ip',
  'ecs-capacity-provider',
] as const;

/**
 * Which compute source the flags ask for, by the flag that names it (for the one-source check in
 * `deploy`): `--lambda-function`, `--ecs-task-definition/--ecs-service`, or none.
 */
export function computeSourceFlag(values: Values): string | undefined {
  const lambda = LAMBDA_FLAGS.some((flag) => values[flag] !== undefined);
  const ecs = ECS_FLAGS.some((flag) => values[flag] !== undefined);
  if (lambda && ecs) {
    throw new InvalidInputError('deploy: --lambda-* and --ecs-* options do not go together', {
      hint: 'A deployment moves either a Lambda alias or an ECS service: keep the options of the one the deployment group deploys.',
    });
  }
  if (lambda) return '--lambda-function';
  if (ecs) return '--ecs-task-definition/--ecs-service';
  return undefined;
}

/**
 * `--hook` and `--appspec-format` shape a built AppSpec; with any other source there is none to
 * shape, and silently dropping them would deploy without the hook the user asked for.
 */
export function assertNoComputeOnlyFlags(values: Values): void {
  const stray = (['hook', 'appspec-format'] as const).find((flag) => values[flag] !== undefined);
  if (stray === undefined) return;
  throw new InvalidInputError(
    `deploy: --${stray} applies only to a Lambda (--lambda-function) or ECS (--ecs-task-definition/--ecs-service) revision`,
    {
      hint: 'For an AppSpec file (--appspec-content), declare the hooks in the file itself; otherwise drop the option.',
    },
  );
}

/** Messages name a setting by its flag. */
const LAMBDA_FLAG_NAMES = {
  functionName: '--lambda-function',
  alias: '--lambda-alias',
  version: '--lambda-version',
  zipFile: '--lambda-zip',
  hooks: '--hook',
  appspecFormat: '--appspec-format',
} as const;

const ECS_FLAG_NAMES = {
  taskDefinitionFile: '--ecs-task-definition',
  service: '--ecs-service',
  images: '--ecs-image',
  container: '--ecs-container',
  port: '--ecs-port',
  platformVersion: '--ecs-platform-version',
  subnets: '--ecs-subnets',
  securityGroups: '--ecs-security-groups',
  assignPublicIp: '--ecs-assign-public-ip',
  capacityProviders: '--ecs-capacity-provider',
  hooks: '--hook',
  appspecFormat: '--appspec-format',
} as const;

/** The Lambda revision the flags describe, checked by core as far as can be without AWS. */
export function lambdaSourceOf(values: Values, cwd: string): LambdaRevisionSource {
  return lambdaSourceFrom(
    {
      functionName: values['lambda-function'],
      alias: values['lambda-alias'],
      version: values['lambda-version'],
      zipFile: values['lambda-zip'],
      hooks: values.hook,
      appspecFormat: values['appspec-format'],
    },
    LAMBDA_FLAG_NAMES,
    cwd,
  );
}

/**
 * The ECS revision the flags describe, checked by core as far as can be without AWS. Without
 * --ecs-service the deployment group's service is deployed; without a file its current task
 * definition is registered again with the --ecs-image overrides.
 */
export function ecsSourceOf(values: Values, cwd: string): EcsRevisionSource {
  return ecsSourceFrom(
    {
      taskDefinitionFile: values['ecs-task-definition'],
      service: values['ecs-service'],
      images: values['ecs-image'],
      container: values['ecs-container'],
      port: values['ecs-port'],
      platformVersion: values['ecs-platform-version'],
      subnets: values['ecs-subnets'],
      securityGroups: values['ecs-security-groups'],
      assignPublicIp: values['ecs-assign-public-ip'],
      capacityProviders: values['ecs-capacity-provider'],
      hooks: values.hook,
      appspecFormat: values['appspec-format'],
    },
    ECS_FLAG_NAMES,
    cwd,
  );
}
