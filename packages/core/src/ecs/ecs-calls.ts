import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionRequest,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';

/*
 * The ECS calls an ECS revision needs, each turning the service's errors into ours: a missing
 * cluster, service or task definition, or a definition ECS refuses, is the user's input (exit 2);
 * anything else an AwsError saying what we were doing.
 */

const denied = (action: string) => ({
  AccessDeniedException: `Allow ${action} for the credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID, the runner role).`,
});

function options(signal: AbortSignal | undefined) {
  return signal ? { abortSignal: signal } : {};
}

/** The service (with its task sets), checked to exist and be active. */
export async function describeService(
  ecs: ECSClient,
  cluster: string,
  service: string,
  signal: AbortSignal | undefined,
): Promise<Service> {
  let answer: DescribeServicesCommandOutput;
  try {
    answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), options(signal));
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'ClusterNotFoundException') {
      throw new InvalidInputError(`ECS cluster ${cluster} does not exist; nothing was created`, {
        hint: 'Fix the cluster name (and the region: clusters are regional).',
        cause: error,
      });
    }
    throw wrapAwsError(`reading ECS service ${cluster}/${service}`, error, denied('ecs:DescribeServices'));
  }
  const found = answer.services?.[0];
  if (found === undefined || found.status === 'INACTIVE') {
    const reason = answer.failures?.[0]?.reason;
    throw new InvalidInputError(
      `ECS service ${service} does not exist in cluster ${cluster}${reason && reason !== 'MISSING' ? ` (${reason})` : ''}; nothing was created`,
      { hint: 'Fix the cluster and service names; the deployment group names the service it deploys to.' },
    );
  }
  if (found.deploymentController?.type !== undefined && found.deploymentController.type !== 'CODE_DEPLOY') {
    throw new InvalidInputError(
      `ECS service ${cluster}/${service} uses the ${found.deploymentController.type} deployment controller; CodeDeploy deploys only to CODE_DEPLOY services; nothing was created`,
      {
        hint: 'Create the service with deploymentController CODE_DEPLOY (it cannot be changed later) and a deployment group for it.',
      },
    );
  }
  return found;
}

/** A task definition (family:revision or ARN) and its tags. */
export async function describeTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string,
  signal: AbortSignal | undefined,
): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
  try {
    const answer = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }),
      options(signal),
    );
    if (answer.taskDefinition === undefined)
      throw new Error('DescribeTaskDefinition returned no taskDefinition');
    return { taskDefinition: answer.taskDefinition, tags: answer.tags ?? [] };
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'ClientException') {
      throw new InvalidInputError(
        `cannot read task definition ${taskDefinition}: ${(error as Error).message}; nothing was created`,
        {
          hint: 'Give a task definition file instead, or check the service (its task definition may have been deleted).',
          cause: error,
        },
      );
    }
    throw wrapAwsError(
      `reading task definition ${taskDefinition}`,
      error,
      denied('ecs:DescribeTaskDefinition'),
    );
  }
}

/** RegisterTaskDefinition: a new revision of the family. */
export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionRequest,
  from: string,
  signal: AbortSignal | undefined,
): Promise<TaskDefinition> {
  try {
    const answer = await ecs.send(new RegisterTaskDefinitionCommand(input), options(signal));
    if (answer.taskDefinition?.taskDefinitionArn === undefined) {
      throw new Error('RegisterTaskDefinition returned no task definition ARN');
    }
    return answer.taskDefinition;
  } catch (error) {
    signal?.throwIfAborted();
    if ((error as Error).name === 'ClientException') {
      throw new InvalidInputError(`ECS refused ${from}: ${(error as Error).message}; nothing was deployed`, {
        hint: 'Fix the task definition as the message says.',
        cause: error,
      });
    }
    throw wrapAwsError(
      `registering task definition family ${input.family}`,
      error,
      denied('ecs:RegisterTaskDefinition'),
    );
  }
}
