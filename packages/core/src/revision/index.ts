export {
  createDeploymentCommand,
  type RegisterRevisionInput,
  registerRevision,
  revisionToCreateDeploymentArgs,
  s3Revision,
} from './revision.js';
