export { formatProblems } from './format.js';
export type {
  AppspecProblem,
  AppspecValidation,
  ComputePlatform,
  RevisionContents,
  ValidateAppspecOptions,
} from './types.js';
export { APPSPEC_FILE_NAMES, validateAppspec } from './validate.js';
export {
  type AppspecFormat,
  assertValidBuiltAppspec,
  hookList,
  type ServiceAppspec,
  writeServiceAppspec,
} from './write.js';
