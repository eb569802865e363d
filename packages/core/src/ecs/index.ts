export { buildEcsAppspec, ECS_HOOK_EVENTS, type EcsAppspecInput, type EcsHookEvent } from './ecs-appspec.js';
export { checkEcsSource, targetServiceOf } from './ecs-checks.js';
export { type BuiltEcsRevision, type EcsRevisionOptions, ecsRevision } from './ecs-revision.js';
export {
  applyImageOverrides,
  chooseTrafficContainer,
  parseTaskDefinitionFile,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  registerInputFrom,
  type TrafficContainer,
} from './task-definition.js';
