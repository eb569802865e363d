import { ServiceError } from '../wire/service-error.js';

/**
 * An ECS exception (ClusterNotFoundException, ClientException, ...) in the AWS JSON 1.1 error shape
 * `{"__type": code, "message": message}`.
 */
export class EcsError extends ServiceError {}

export function clusterNotFound(): EcsError {
  return new EcsError('ClusterNotFoundException', 'Cluster not found.');
}

export function serviceNotFound(): EcsError {
  return new EcsError('ServiceNotFoundException', 'Service not found.');
}

export function taskSetNotFound(id: string): EcsError {
  return new EcsError('TaskSetNotFoundException', `The specified task set ${id} does not exist.`);
}

export function clientException(message: string): EcsError {
  return new EcsError('ClientException', message);
}

export function invalidParameter(message: string): EcsError {
  return new EcsError('InvalidParameterException', message);
}
