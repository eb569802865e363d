import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateAppspec } from '@codedeploy-gate/core';

/** The agent's default hook timeout (`script_info.rb`). */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 3600;

export interface HookScript {
  location: string;
  timeout: number;
  runas: string | undefined;
  sudo: boolean;
}

export interface FileMapping {
  source: string;
  destination: string;
}

export interface Permission {
  object: string;
  /** `**` (the default) matches everything below `object`. */
  pattern: string;
  except: string[];
  /** `file`, `directory` or both (the default). */
  type: string[];
  /** Octal mode string as the agent reads it: the YAML value's text, left-padded to three digits. */
  mode: string | undefined;
  owner: string | undefined;
  group: string | undefined;
  acls: string[];
  context: Record<string, unknown> | undefined;
}

/** What the agent reads from an EC2/on-premises AppSpec. */
export interface AgentAppspec {
  hooks: Map<string, HookScript[]>;
  files: FileMapping[];
  permissions: Permission[];
  fileExistsBehavior: string | undefined;
}

/**
 * The agent reads `appspec.yml` (falling back to `appspec.yaml`, as its installer does) from the root
 * of the unpacked revision.
 */
const APPSPEC_NAMES = ['appspec.yml', 'appspec.yaml'];

/** Reads and parses the AppSpec of an unpacked revision; throws with the agent's wording when missing. */
export async function readAppspec(archive: string): Promise<AgentAppspec> {
  for (const name of APPSPEC_NAMES) {
    const source = await readFile(join(archive, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (source !== undefined) return parseAppspec(source, name);
  }
  const expected = join(archive, 'appspec.yml');
  throw new Error(
    'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". ' +
      `The revision was unpacked to directory "${archive}", and the AppSpec file was expected but not found at path "${expected}". ` +
      'Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html',
  );
}

/** Validates with core's rule set (the agent's rules) and reads the plain document. */
export function parseAppspec(source: Uint8Array | string, file: string): AgentAppspec {
  const validation = validateAppspec(source, { file, platform: 'server' });
  const errors = validation.problems.filter((problem) => problem.severity === 'error');
  const document = validation.appspec;
  if (errors.length > 0 || !isRecord(document)) {
    const first = errors[0];
    const what =
      first === undefined
        ? 'it is not a mapping'
        : `${first.message} (line ${first.line}, column ${first.column}${first.path === '' ? '' : `, ${first.path}`})`;
    const more = errors.length > 1 ? ` and ${errors.length - 1} more problem(s)` : '';
    throw new Error(`The application specification file ${file} in the revision is invalid: ${what}${more}`);
  }
  return {
    hooks: readHooks(document.hooks),
    files: list(document.files)
      .filter(isRecord)
      .map((entry) => ({
        source: String(entry.source ?? '').trim(),
        destination: String(entry.destination ?? '').trim(),
      })),
    permissions: list(document.permissions).filter(isRecord).map(readPermission),
    fileExistsBehavior:
      typeof document.file_exists_behavior === 'string' ? document.file_exists_behavior : undefined,
  };
}

function readHooks(value: unknown): Map<string, HookScript[]> {
  const hooks = new Map<string, HookScript[]>();
  if (!isRecord(value)) return hooks;
  for (const [event, scripts] of Object.entries(value)) {
    hooks.set(
      event,
      list(scripts)
        .filter(isRecord)
        .map((script) => ({
          location: String(script.location ?? '').trim(),
          timeout:
            script.timeout === undefined || script.timeout === null
              ? DEFAULT_HOOK_TIMEOUT_SECONDS
              : Math.trunc(Number(script.timeout)),
          runas: typeof script.runas === 'string' ? script.runas.trim() : undefined,
          sudo: script.sudo !== undefined && script.sudo !== null && script.sudo !== false,
        })),
    );
  }
  return hooks;
}

function readPermission(entry: Record<string, unknown>): Permission {
  const strings = (value: unknown) => list(value).map((item) => String(item));
  const mode =
    entry.mode === undefined || entry.mode === null ? undefined : String(entry.mode).padStart(3, '0');
  return {
    object: String(entry.object ?? '').trim(),
    pattern: entry.pattern === undefined || entry.pattern === null ? '**' : String(entry.pattern),
    except: strings(entry.except),
    type: entry.type === undefined || entry.type === null ? ['file', 'directory'] : strings(entry.type),
    mode,
    owner: entry.owner === undefined || entry.owner === null ? undefined : String(entry.owner),
    group: entry.group === undefined || entry.group === null ? undefined : String(entry.group),
    acls: strings(entry.acls),
    context: isRecord(entry.context) ? entry.context : undefined,
  };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
