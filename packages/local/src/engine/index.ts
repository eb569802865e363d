// Placeholder until the deployment engine lands (helper task in progress); replaced wholesale.
import type { Agent } from '../agent/index.js';
import type { Store } from '../state/index.js';
import type { DeploymentEngineHandle } from '../wire/operation.js';

export interface DeploymentEngineOptions {
  store: Store;
  agent: Agent;
  /** Folder holding one folder per on-premises instance. */
  instancesDir: string;
  now: () => Date;
  log?: (line: string) => void;
}

export function createDeploymentEngine(_options: DeploymentEngineOptions): DeploymentEngineHandle {
  throw new Error('deployment engine not built yet');
}
