import { UserCodeLauncher } from '../processes/index.js';
import { LocalAgent } from './local-agent.js';
import type { Agent } from './types.js';

export { LOG_TAIL_BUDGET } from './script-log.js';
export type { Agent, InstanceWorkspace, LifecycleRequest, LifecycleResult } from './types.js';

export interface LocalAgentOptions {
  /** Base URL of the local server; the agent downloads S3 bundles from it with the real S3 client. */
  endpoint: string;
  /** Folder holding GitHub revisions as `<owner>/<repo>` git repositories or `<owner>/<repo>/<commit>.tar.gz`. */
  githubDir?: string;
  log?: (line: string) => void;
  /** Between SIGTERM and SIGKILL when a timed-out or stopped script's process group is killed; default 2000. */
  killGraceMs?: number;
  /**
   * How scripts are started (environment, process tracking); a server shares its own with the local
   * Lambda and closes it itself. Default: one of the agent's own, closed with the agent.
   */
  launcher?: UserCodeLauncher;
}

/**
 * The local CodeDeploy agent. `run()` performs one lifecycle event on one instance folder and never
 * throws: failures come back as `Failed` with the agent's diagnostics. The engine calls it once per
 * event per instance, in order, and decides skipping and failure propagation itself.
 */
export function createLocalAgent(options: LocalAgentOptions): Agent & { close(): Promise<void> } {
  return new LocalAgent({
    endpoint: options.endpoint,
    githubDir: options.githubDir,
    log: options.log ?? (() => {}),
    killGraceMs: options.killGraceMs ?? 2000,
    launcher: options.launcher ?? UserCodeLauncher.inMemory({ killGraceMs: options.killGraceMs }),
    ownsLauncher: options.launcher === undefined,
  });
}
