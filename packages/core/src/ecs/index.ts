export { ECS_HOOK_EVENTS, type EcsHookEvent } from '../appspec/hook-events.js';
export { createEcsClient } from '../aws/ecs-client.js';
export { buildEcsAppspec, type EcsAppspecInput } from './ecs-appspec.js';
export { checkEcsSource, targetServiceOf } from './ecs-checks.js';
export { type BuiltEcsRevision, type EcsRevisionOptions, ecsRevision } from './ecs-revision.js';
export {
  applyImageOverrides,
  chooseTrafficContainer,
  MissingTrafficContainerError,
  parseTaskDefinitionFile,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  registerInputFrom,
  type TrafficContainer,
} from './task-definition.js';
