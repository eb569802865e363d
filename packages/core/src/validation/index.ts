export { appspecNameProblems, chooseAppspec } from './find-appspec.js';
export { RevisionInvalidError } from './revision-invalid-error.js';
export {
  type RevisionValidation,
  type ValidatedSource,
  type ValidateOptions,
  validatePath,
  validateScan,
} from './validate-path.js';
