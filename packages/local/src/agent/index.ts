// Placeholder until the local agent lands (helper task in progress); replaced wholesale.
import type { Agent } from './types.js';

export type { Agent, InstanceWorkspace, LifecycleRequest, LifecycleResult } from './types.js';

export interface LocalAgentOptions {
  /** Base URL of the local server; the agent downloads S3 bundles from it with the real S3 client. */
  endpoint: string;
  /** Folder holding GitHub revisions as `<owner>/<repo>` git repositories or `<owner>/<repo>/<commit>.tar.gz`. */
  githubDir?: string;
  log?: (line: string) => void;
}

export function createLocalAgent(_options: LocalAgentOptions): Agent {
  throw new Error('local agent not built yet');
}
