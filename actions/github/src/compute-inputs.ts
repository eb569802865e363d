import {
  type EcsRevisionSource,
  ecsSourceFrom,
  type LambdaRevisionSource,
  lambdaSourceFrom,
} from '@codedeploy-gate/core';
import { invalid, lines, optional } from './read-input.js';

/*
 * The inputs that make the action build a Lambda or ECS revision (core publishes the version or
 * registers the task definition, and writes the AppSpec). Core checks them as far as can be without
 * AWS — the same rules as the CLI's flags — so a typo fails the step before anything is published,
 * registered or created; here they are only read and named as the workflow spells them.
 */

export const LAMBDA_INPUTS = ['lambda-function', 'lambda-alias', 'lambda-version', 'lambda-zip'] as const;
export const ECS_INPUTS = [
  'ecs-task-definition',
  'ecs-service',
  'ecs-images',
  'ecs-container',
  'ecs-port',
  'ecs-platform-version',
  'ecs-subnets',
  'ecs-security-groups',
  'ecs-assign-public-ip',
  'ecs-capacity-providers',
] as const;
/** Inputs that shape a built AppSpec: meaningless, and silently lost, with any other revision. */
const APPSPEC_SHAPING_INPUTS = ['hooks', 'appspec-format'] as const;

/** A Lambda or ECS revision the inputs ask for, with the input that asked (for conflict messages). */
export interface ComputeRevision {
  source: LambdaRevisionSource | EcsRevisionSource;
  /** The first lambda-* or ecs-* input the workflow gave. */
  input: string;
}

/** The Lambda or ECS revision the inputs describe; undefined when no lambda-* or ecs-* input is given. */
export function computeRevision(workspace: string): ComputeRevision | undefined {
  const lambda = LAMBDA_INPUTS.find((name) => optional(name) !== undefined);
  const ecs = ECS_INPUTS.find((name) => optional(name) !== undefined);
  if (lambda !== undefined && ecs !== undefined) {
    throw invalid(
      ecs,
      `cannot be combined with ${lambda}: a deployment moves either a Lambda alias or an ECS service`,
      'Keep the inputs of the compute platform the deployment group deploys to.',
    );
  }
  if (lambda !== undefined) return { source: lambdaSource(workspace), input: lambda };
  if (ecs !== undefined) return { source: ecsSource(workspace), input: ecs };
  const stray = APPSPEC_SHAPING_INPUTS.find((name) => optional(name) !== undefined);
  if (stray !== undefined) {
    throw invalid(
      stray,
      'only applies to a revision the action builds from lambda-* or ecs-* inputs',
      'For an appspec file, declare the hooks in the file itself; otherwise drop the input.',
    );
  }
  return undefined;
}

/** How messages name an input: as the workflow's `with:` spells it. */
const named = (name: string) => `input "${name}"`;

function lambdaSource(workspace: string): LambdaRevisionSource {
  return lambdaSourceFrom(
    {
      functionName: optional('lambda-function'),
      alias: optional('lambda-alias'),
      version: optional('lambda-version'),
      zipFile: optional('lambda-zip'),
      hooks: entries('hooks'),
      appspecFormat: optional('appspec-format'),
    },
    {
      functionName: named('lambda-function'),
      alias: named('lambda-alias'),
      version: named('lambda-version'),
      zipFile: named('lambda-zip'),
      hooks: named('hooks'),
      appspecFormat: named('appspec-format'),
    },
    workspace,
  );
}

function ecsSource(workspace: string): EcsRevisionSource {
  return ecsSourceFrom(
    {
      taskDefinitionFile: optional('ecs-task-definition'),
      service: optional('ecs-service'),
      images: entries('ecs-images'),
      container: optional('ecs-container'),
      port: optional('ecs-port'),
      platformVersion: optional('ecs-platform-version'),
      subnets: optional('ecs-subnets'),
      securityGroups: optional('ecs-security-groups'),
      assignPublicIp: optional('ecs-assign-public-ip'),
      capacityProviders: entries('ecs-capacity-providers'),
      hooks: entries('hooks'),
      appspecFormat: optional('appspec-format'),
    },
    {
      taskDefinitionFile: named('ecs-task-definition'),
      service: named('ecs-service'),
      images: named('ecs-images'),
      container: named('ecs-container'),
      port: named('ecs-port'),
      platformVersion: named('ecs-platform-version'),
      subnets: named('ecs-subnets'),
      securityGroups: named('ecs-security-groups'),
      assignPublicIp: named('ecs-assign-public-ip'),
      capacityProviders: named('ecs-capacity-providers'),
      hooks: named('hooks'),
      appspecFormat: named('appspec-format'),
    },
    workspace,
  );
}

/** A multiline input's entries, or undefined when it is empty. */
function entries(name: string): string[] | undefined {
  const found = lines(name);
  return found.length > 0 ? found : undefined;
}
