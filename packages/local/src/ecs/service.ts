import { type JsonService, tableService } from '../wire/json-service.js';
import type { EcsContext } from './context.js';
import { ECS_TARGET_PREFIX, ecsOperations } from './operations.js';

/** The local ECS on the shared port: `X-Amz-Target: AmazonEC2ContainerServiceV20141113.*`, signing name `ecs`. */
export function ecsService(context: EcsContext): JsonService {
  return tableService(
    { targetPrefix: ECS_TARGET_PREFIX, signingName: 'ecs', timestampInputs: {} },
    ecsOperations(),
    context,
  );
}
