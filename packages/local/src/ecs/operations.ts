import type { OperationTable } from '../wire/operation.js';
import { clusterOperations } from './clusters.js';
import type { EcsContext } from './context.js';
import { serviceOperations } from './services.js';
import { taskDefinitionOperations } from './task-definitions.js';

/** Every ECS operation the local server answers. */
export function ecsOperations(): OperationTable<EcsContext> {
  return {
    ...clusterOperations,
    ...serviceOperations,
    ...taskDefinitionOperations,
  };
}

/** `X-Amz-Target` prefix of ECS's AWS JSON 1.1 operations. */
export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
