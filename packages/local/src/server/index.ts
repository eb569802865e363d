export { ADMIN_PREFIX } from './admin.js';
export { codeDeployOperations } from './operations.js';
export { type LocalCodeDeploy, type LocalCodeDeployOptions, startLocalCodeDeploy } from './start.js';
