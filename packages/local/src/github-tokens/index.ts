export { gitHubTokenOperations } from './operations.js';
