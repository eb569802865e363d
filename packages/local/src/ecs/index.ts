export { ensureCluster } from './clusters.js';
export type { EcsContext, EcsScope } from './context.js';
export { EcsError } from './errors.js';
export { ECS_TARGET_PREFIX, ecsOperations } from './operations.js';
export { createEcsRuntime } from './runtime.js';
export {
  type EcsClusterSeed,
  type EcsServiceSeed,
  putService,
  registerSeededTaskDefinition,
  registrationInput,
  type SeededService,
  type TaskDefinitionSeed,
} from './seed.js';
export { ecsService } from './service.js';
