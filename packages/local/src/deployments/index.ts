// Placeholder until the deployment operations land (helper task in progress); replaced wholesale.
import type { OperationTable } from '../wire/operation.js';

export const deploymentOperations: OperationTable = {};
