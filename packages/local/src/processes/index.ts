export { killProcessGroup } from './process-group.js';
