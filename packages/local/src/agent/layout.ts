import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { InstanceWorkspace } from './types.js';

/**
 * Where the agent keeps things on one instance, mirroring its deployment root
 * (`/opt/codedeploy-agent/deployment-root`) inside the instance folder:
 * `codedeploy/<group-id>/<deployment-id>/{bundle.tar, deployment-archive/, logs/scripts.log}` and
 * `codedeploy/deployment-instructions/`. The instance's own file system is `fs/`.
 */
export interface DeploymentPaths {
  /** `codedeploy/<group-id>/<deployment-id>`. */
  root: string;
  bundle: string;
  archive: string;
  scriptsLog: string;
}

export function deploymentPaths(
  instance: InstanceWorkspace,
  deploymentGroupId: string,
  deploymentId: string,
): DeploymentPaths {
  const root = join(instance.root, 'codedeploy', safeName(deploymentGroupId), safeName(deploymentId));
  return {
    root,
    bundle: join(root, 'bundle.tar'),
    archive: join(root, 'deployment-archive'),
    scriptsLog: join(root, 'logs', 'scripts.log'),
  };
}

/** `deployment-instructions/` files of one deployment group on one instance. */
export function instructionFiles(instance: InstanceWorkspace, deploymentGroupId: string) {
  const dir = join(instance.root, 'codedeploy', 'deployment-instructions');
  const group = safeName(deploymentGroupId);
  return {
    dir,
    cleanup: join(dir, `${group}-cleanup`),
    install: join(dir, `${group}-install.json`),
    lastSuccessfulInstall: join(dir, `${group}_last_successful_install`),
  };
}

/** The folder standing in for the instance's `/`. */
export function instanceFsRoot(instance: InstanceWorkspace): string {
  return join(instance.root, 'fs');
}

/**
 * Where an absolute path on the instance (`/srv/app`) lives on the host (`<root>/fs/srv/app`).
 * Throws for relative paths and for paths that would resolve outside the instance's file system.
 */
export function hostPath(instance: InstanceWorkspace, instancePath: string): string {
  if (!isAbsolute(instancePath)) {
    throw new Error(`The destination ${instancePath} is not an absolute path on the instance`);
  }
  const fsRoot = instanceFsRoot(instance);
  const target = resolve(fsRoot, `.${instancePath}`);
  const inside = relative(fsRoot, target);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new Error(`The path ${instancePath} resolves outside the instance's file system`);
  }
  return target;
}

/** Ids name folders: one that could climb out of the deployment root is refused. */
function safeName(id: string): string {
  if (id === '' || id === '.' || id === '..' || id.includes('/') || id.includes('\\') || id.includes('\0')) {
    throw new Error(`Unusable id for a deployment folder: ${JSON.stringify(id)}`);
  }
  return id;
}
