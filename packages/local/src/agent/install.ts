import { execFile } from 'node:child_process';
import {
  chmod,
  copyFile,
  lchown,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { promisify } from 'node:util';
import type { AgentAppspec, Permission } from './appspec.js';
import { hostPath, instanceFsRoot, instructionFiles } from './layout.js';
import type { InstanceWorkspace } from './types.js';

const execFileAsync = promisify(execFile);

/** The agent's DEFAULT_FILE_EXISTS_BEHAVIOR. */
export const DEFAULT_FILE_EXISTS_BEHAVIOR = 'DISALLOW';

/** One step of `<group-id>-install.json`; paths are as the instance sees them (`/srv/app/x`). */
export type Instruction =
  | { type: 'copy'; source: string; destination: string }
  | { type: 'mkdir'; directory: string }
  | { type: 'chmod'; mode: string; file: string }
  | { type: 'chown'; owner?: string; group?: string; file: string }
  | { type: 'setfacl'; acl: string[]; file: string }
  | { type: 'semanage'; context: Record<string, unknown>; file: string };

export interface InstallRequest {
  instance: InstanceWorkspace;
  deploymentGroupId: string;
  /** The unpacked revision (`deployment-archive/`). */
  archive: string;
  appspec: AgentAppspec;
  /** The deployment's fileExistsBehavior; the AppSpec's own value wins. */
  fileExistsBehavior: string | undefined;
  log: (line: string) => void;
}

/**
 * The agent's Install: removes what the previous deployment of this group installed (its cleanup
 * file, in reverse), plans the copies, directories and permissions, writes `<group-id>-install.json`,
 * then carries the plan out while recording every created path in `<group-id>-cleanup`.
 */
export async function install(request: InstallRequest): Promise<void> {
  const files = instructionFiles(request.instance, request.deploymentGroupId);
  await mkdir(files.dir, { recursive: true });
  await runCleanup(request.instance, files.cleanup);
  const instructions = await planInstall(request);
  await writeFile(files.install, `${JSON.stringify({ instructions }, null, 2)}\n`);
  const cleanup = await open(files.cleanup, 'w');
  try {
    for (const instruction of instructions)
      await execute(request, instruction, (line) => cleanup.write(`${line}\n`));
  } finally {
    await cleanup.close();
  }
}

/** Executes a cleanup file in reverse: files and symlinks removed, directories only when empty. */
async function runCleanup(instance: InstanceWorkspace, cleanupFile: string): Promise<void> {
  const content = await readFile(cleanupFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const lines = content.split('\n');
  // The last element is '' after a final newline, or an incomplete line the agent ignores.
  lines.pop();
  for (const line of lines.reverse()) {
    if (line === '' || line.startsWith('semanage\0')) continue;
    let target: string;
    try {
      target = hostPath(instance, line);
    } catch {
      continue;
    }
    const stats = await lstat(target).catch(() => undefined);
    if (stats === undefined) continue;
    if (stats.isDirectory()) {
      await rmdir(target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } else {
      await unlink(target);
    }
  }
  await rm(cleanupFile, { force: true });
}

/** The agent's `generate_instructions`, checking existence on the instance after the cleanup. */
export async function planInstall(request: InstallRequest): Promise<Instruction[]> {
  const { instance, archive, appspec } = request;
  const behavior = appspec.fileExistsBehavior ?? request.fileExistsBehavior ?? DEFAULT_FILE_EXISTS_BEHAVIOR;
  const plan = new Plan();
  const onInstance = async (path: string) => stat(hostPath(instance, path)).catch(() => undefined);

  const normalCopy = async (source: string, destination: string) => {
    if ((await onInstance(destination)) !== undefined) {
      if (behavior === 'DISALLOW') {
        throw new Error(
          `The deployment failed because a specified file already exists at this location: ${destination}`,
        );
      }
      if (behavior === 'RETAIN') return;
      if (behavior !== 'OVERWRITE') {
        throw new Error(
          `The deployment failed because an invalid option was specified for fileExistsBehavior: ${behavior}. Valid options include OVERWRITE, RETAIN, and DISALLOW.`,
        );
      }
    }
    plan.copy(source, destination);
  };
  const directoryCopy = async (source: string, destination: string): Promise<void> => {
    if (!(await onInstance(destination))?.isDirectory()) plan.mkdir(destination);
    const entries = await readdir(source, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const entrySource = join(source, entry.name);
      const entryDestination = posix.join(destination, entry.name);
      if (entry.isDirectory()) await directoryCopy(entrySource, entryDestination);
      else await normalCopy(entrySource, entryDestination);
    }
  };
  const missingAncestors = async (destination: string) => {
    const missing: string[] = [];
    for (
      let parent = posix.dirname(destination);
      parent !== '/' && parent !== '.';
      parent = posix.dirname(parent)
    ) {
      if ((await onInstance(parent)) !== undefined) break;
      missing.unshift(parent);
    }
    for (const dir of missing) plan.mkdir(dir);
  };

  for (const file of appspec.files) {
    const source = join(archive, file.source);
    const destination = posix.normalize(file.destination);
    const sourceStats = await stat(source).catch(() => undefined);
    if (sourceStats?.isDirectory()) {
      await missingAncestors(destination);
      await directoryCopy(source, destination);
    } else {
      const fileDestination = posix.join(destination, posix.basename(file.source));
      await missingAncestors(fileDestination);
      await normalCopy(source, fileDestination);
    }
  }

  for (const permission of appspec.permissions) {
    const object = trimSlash(posix.normalize(permission.object));
    if (plan.copyTargets.has(object)) {
      plan.setPermissions(object, permission);
    } else if (plan.mkdirTargets.has(object) || (await onInstance(object))?.isDirectory()) {
      if (permission.type.includes('file')) {
        for (const target of plan.copyTargets.keys()) {
          if (matches(permission, object, target)) plan.setPermissions(target, permission);
        }
      }
      if (permission.type.includes('directory')) {
        for (const target of plan.mkdirTargets) {
          if (matches(permission, object, target)) plan.setPermissions(target, permission);
        }
      }
    }
  }
  return plan.instructions;
}

class Plan {
  readonly instructions: Instruction[] = [];
  /** Destination -> source. */
  readonly copyTargets = new Map<string, string>();
  readonly mkdirTargets = new Set<string>();
  private readonly permissionTargets = new Set<string>();

  copy(source: string, destination: string): void {
    const other = this.copyTargets.get(destination);
    if (other !== undefined) {
      throw new Error(
        `The deployment failed because the application specification file specifies two source files named ${source} and ${other} for the same destination (${destination}). Remove one of the source file paths from the files section of the application specification file and then try again.`,
      );
    }
    if (this.mkdirTargets.has(destination)) {
      throw new Error(
        `The deployment failed because the application specification file both creates a directory and copies a file at ${destination}.`,
      );
    }
    this.copyTargets.set(destination, source);
    this.instructions.push({ type: 'copy', source, destination });
  }

  mkdir(directory: string): void {
    if (this.copyTargets.has(directory)) {
      throw new Error(
        `The deployment failed because the application specification file both copies a file and creates a directory at ${directory}.`,
      );
    }
    if (this.mkdirTargets.has(directory)) return;
    this.mkdirTargets.add(directory);
    this.instructions.push({ type: 'mkdir', directory });
  }

  /** In the agent's order: chmod, setfacl, semanage, chown. */
  setPermissions(file: string, permission: Permission): void {
    if (this.permissionTargets.has(file)) {
      throw new Error(
        `The deployment failed because the permissions setting for (${file}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`,
      );
    }
    this.permissionTargets.add(file);
    if (permission.mode !== undefined) this.instructions.push({ type: 'chmod', mode: permission.mode, file });
    if (permission.acls.length > 0) this.instructions.push({ type: 'setfacl', acl: permission.acls, file });
    if (permission.context !== undefined)
      this.instructions.push({ type: 'semanage', context: permission.context, file });
    if (permission.owner !== undefined || permission.group !== undefined) {
      this.instructions.push({
        type: 'chown',
        ...(permission.owner === undefined ? {} : { owner: permission.owner }),
        ...(permission.group === undefined ? {} : { group: permission.group }),
        file,
      });
    }
  }
}

/**
 * The agent's `matches_pattern?` / `matches_except?`: only paths strictly below the object; `**`
 * matches all of them, other patterns are simple globs on the path relative to the object, where
 * `*` does not cross a `/`.
 */
function matches(permission: Permission, object: string, target: string): boolean {
  const base = object.endsWith('/') ? object : `${object}/`;
  if (!target.startsWith(base)) return false;
  const relative = target.slice(base.length);
  if (permission.pattern !== '**' && !simpleGlob(relative, permission.pattern)) return false;
  return !permission.except.some((pattern) => simpleGlob(relative, pattern));
}

function simpleGlob(name: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${source}$`).test(name);
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

async function execute(
  request: InstallRequest,
  instruction: Instruction,
  recordCleanup: (line: string) => Promise<unknown>,
): Promise<void> {
  const { instance } = request;
  switch (instruction.type) {
    case 'copy': {
      const target = await writableHostPath(instance, instruction.destination);
      await recordCleanup(instruction.destination);
      const sourceStats = await lstat(instruction.source);
      // An OVERWRITE target is replaced, never written through (it may be a symlink).
      const existing = await lstat(target).catch(() => undefined);
      if (existing !== undefined && !existing.isDirectory()) await unlink(target);
      if (sourceStats.isSymbolicLink()) {
        await symlink(await readlink(instruction.source), target);
      } else {
        await copyFile(instruction.source, target);
        await chmod(target, sourceStats.mode & 0o7777);
        await utimes(target, sourceStats.atime, sourceStats.mtime);
      }
      return;
    }
    case 'mkdir': {
      const target = await writableHostPath(instance, instruction.directory);
      await recordCleanup(instruction.directory);
      await mkdir(target);
      return;
    }
    case 'chmod': {
      const target = hostPath(instance, instruction.file);
      // chmod follows symlinks; one installed from the bundle may point off the instance.
      if ((await lstat(target)).isSymbolicLink()) return;
      await chmod(target, Number.parseInt(instruction.mode, 8));
      return;
    }
    case 'chown':
      await applyOwner(request, instruction);
      return;
    case 'setfacl':
      request.log(
        `setfacl ${instruction.acl.join(',')} on ${instruction.file} recorded in the install instructions, not applied`,
      );
      return;
    case 'semanage':
      request.log(`SELinux context on ${instruction.file} recorded in the install instructions, not applied`);
      return;
  }
}

/** chown needs root: as anyone else the owner and group stay recorded in the install instructions only. */
async function applyOwner(
  request: InstallRequest,
  instruction: Extract<Instruction, { type: 'chown' }>,
): Promise<void> {
  const described = `${instruction.owner ?? ''}${instruction.group === undefined ? '' : `:${instruction.group}`}`;
  if (process.getuid?.() !== 0) {
    request.log(
      `chown ${described} on ${instruction.file} recorded, not applied: the local agent is not running as root`,
    );
    return;
  }
  const target = hostPath(request.instance, instruction.file);
  const current = await lstat(target);
  const uid = instruction.owner === undefined ? current.uid : await lookupId(['-u', instruction.owner]);
  const gid = instruction.group === undefined ? current.gid : await lookupGroup(instruction.group);
  if (uid === undefined || gid === undefined) {
    request.log(`chown ${described} on ${instruction.file} skipped: no such user or group on this host`);
    return;
  }
  await lchown(target, uid, gid);
}

async function lookupId(args: string[]): Promise<number | undefined> {
  try {
    const { stdout } = await execFileAsync('id', args);
    return Number.parseInt(stdout.trim(), 10);
  } catch {
    return undefined;
  }
}

async function lookupGroup(name: string): Promise<number | undefined> {
  try {
    const { stdout } = await execFileAsync('getent', ['group', name]);
    const gid = Number.parseInt(stdout.split(':')[2] ?? '', 10);
    return Number.isNaN(gid) ? undefined : gid;
  } catch {
    return undefined;
  }
}

/** The host path of an instance path whose folder really is inside the instance (no symlink leads out). */
async function writableHostPath(instance: InstanceWorkspace, instancePath: string): Promise<string> {
  const target = hostPath(instance, instancePath);
  const fsRoot = await realpath(instanceFsRoot(instance)).catch(async () => {
    await mkdir(instanceFsRoot(instance), { recursive: true });
    return realpath(instanceFsRoot(instance));
  });
  const parent = await realpath(posix.dirname(target)).catch(() => undefined);
  if (parent === undefined) throw new Error(`Cannot install ${instancePath}: its folder does not exist`);
  if (parent !== fsRoot && !parent.startsWith(fsRoot + sep)) {
    throw new Error(`Cannot install ${instancePath}: its folder leads outside the instance's file system`);
  }
  return target;
}
