import { mkdir, stat, writeFile } from 'node:fs/promises';
import type { UserCodeLauncher } from '../processes/index.js';
import { readAppspec } from './appspec.js';
import { failed, LifecycleFailure, STOPPED_MESSAGE, succeeded } from './diagnostics.js';
import { downloadBundle } from './download.js';
import { runHooks } from './hooks.js';
import { install } from './install.js';
import { deploymentPaths, instanceFsRoot, instructionFiles } from './layout.js';
import type { Agent, LifecycleRequest, LifecycleResult } from './types.js';

/** Hooks whose scripts come from the last successful deployment (`MAPPING_BETWEEN_HOOKS_AND_DEPLOYMENTS`). */
const LAST_SUCCESSFUL_HOOKS = new Set(['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic']);
const SCRIPT_HOOKS = new Set([
  ...LAST_SUCCESSFUL_HOOKS,
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
]);

export interface LocalAgentSettings {
  endpoint: string;
  githubDir: string | undefined;
  log: (line: string) => void;
  /** Between SIGTERM and SIGKILL when a script's process group is killed. */
  killGraceMs: number;
  launcher: UserCodeLauncher;
  /** Whether closing the agent closes the launcher (false when the server shares it with the local Lambda). */
  ownsLauncher: boolean;
}

/** Runs one lifecycle event of one deployment on one instance folder, as the CodeDeploy agent would. */
export class LocalAgent implements Agent {
  constructor(private readonly settings: LocalAgentSettings) {}

  /**
   * Stops what the hooks left running (an ApplicationStart that daemonised the app, say) when the
   * agent owns its launcher; a server closes its shared launcher itself. On a real host those
   * processes are the point; on local instances they would outlive the local CodeDeploy.
   */
  async close(): Promise<void> {
    if (this.settings.ownsLauncher) await this.settings.launcher.close();
  }

  async run(request: LifecycleRequest): Promise<LifecycleResult> {
    try {
      return await this.dispatch(request);
    } catch (error) {
      if (request.signal.aborted && !(error instanceof LifecycleFailure)) {
        return failed(new LifecycleFailure('UnknownError', STOPPED_MESSAGE));
      }
      return failed(error);
    }
  }

  private async dispatch(request: LifecycleRequest): Promise<LifecycleResult> {
    const { event, instance } = request;
    const paths = deploymentPaths(instance, request.deploymentGroupId, request.deploymentId);
    request.signal.throwIfAborted();
    if (event === 'DownloadBundle') {
      await downloadBundle(request.revision, paths, {
        endpoint: this.settings.endpoint,
        githubDir: this.settings.githubDir,
        signal: request.signal,
      });
      return succeeded();
    }
    if (event === 'Install') {
      await install({
        instance,
        deploymentGroupId: request.deploymentGroupId,
        archive: paths.archive,
        appspec: await readAppspec(paths.archive),
        fileExistsBehavior: request.fileExistsBehavior || undefined,
        log: (line) => this.settings.log(`[${instance.name}] ${line}`),
      });
      // As the agent's command executor does right after a successful Install.
      await writeFile(
        instructionFiles(instance, request.deploymentGroupId).lastSuccessfulInstall,
        paths.root,
      );
      return succeeded();
    }
    if (!SCRIPT_HOOKS.has(event)) return succeeded();

    const source = await this.scriptSource(request, paths.archive);
    if (source === undefined) return succeeded();
    const appspec = await readAppspec(source.archive);
    const scripts = appspec.hooks.get(event) ?? [];
    if (scripts.length === 0) return succeeded();
    // Scripts may address the instance's file system before anything was installed into it.
    await mkdir(instanceFsRoot(instance), { recursive: true });
    const logTail = await runHooks({
      event,
      scripts,
      archive: source.archive,
      scriptsLog: source.scriptsLog,
      variables: this.variables(request),
      launcher: this.settings.launcher,
      signal: request.signal,
      killGraceMs: this.settings.killGraceMs,
      warn: (line) => this.settings.log(`[${instance.name}] ${line}`),
    });
    return succeeded(logTail);
  }

  /**
   * ApplicationStop and the BlockTraffic hooks run from the last successful deployment's archive
   * while the current deployment has none yet; nothing to run from means a no-op (a first deployment).
   */
  private async scriptSource(
    request: LifecycleRequest,
    currentArchive: string,
  ): Promise<{ archive: string; scriptsLog: string } | undefined> {
    const current = deploymentPaths(request.instance, request.deploymentGroupId, request.deploymentId);
    if (!LAST_SUCCESSFUL_HOOKS.has(request.event) || (await isDirectory(currentArchive))) {
      return { archive: current.archive, scriptsLog: current.scriptsLog };
    }
    if (request.lastSuccessfulDeploymentId === undefined) return undefined;
    const last = deploymentPaths(
      request.instance,
      request.deploymentGroupId,
      request.lastSuccessfulDeploymentId,
    );
    if (!(await isDirectory(last.archive))) return undefined;
    // The agent logs into the deployment root it runs the hook from.
    return { archive: last.archive, scriptsLog: last.scriptsLog };
  }

  /**
   * What the agent gives a script over the launcher's allowlisted environment: the agent's own
   * variables (HookExecutor's) and where the local instance is.
   */
  private variables(request: LifecycleRequest): Record<string, string> {
    const env: Record<string, string> = {
      LIFECYCLE_EVENT: request.event,
      DEPLOYMENT_ID: request.deploymentId,
      APPLICATION_NAME: request.applicationName,
      DEPLOYMENT_GROUP_NAME: request.deploymentGroupName,
      DEPLOYMENT_GROUP_ID: request.deploymentGroupId,
      CODEDEPLOY_GATE_INSTANCE_ROOT: instanceFsRoot(request.instance),
      CODEDEPLOY_GATE_INSTANCE_NAME: request.instance.name,
    };
    const s3 = request.revision.revisionType === 'S3' ? request.revision.s3Location : undefined;
    if (s3 !== undefined) {
      if (s3.bucket !== undefined) env.BUNDLE_BUCKET = s3.bucket;
      if (s3.key !== undefined) env.BUNDLE_KEY = s3.key;
      if (s3.version !== undefined) env.BUNDLE_VERSION = s3.version;
      if (s3.eTag !== undefined) env.BUNDLE_ETAG = s3.eTag;
    }
    const github = request.revision.revisionType === 'GitHub' ? request.revision.gitHubLocation : undefined;
    if (github?.commitId !== undefined) env.BUNDLE_COMMIT = github.commitId;
    return env;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}
