import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '@codedeploy-gate/core/errors';
import type { OptionSpec } from '../cli-args.js';

/** `--hook-env NAME[=VALUE]` and `--hook-env-file FILE`, both repeatable (`local serve`, `local run`). */
export const HOOK_ENV_OPTIONS = {
  'hook-env': { type: 'string', multiple: true },
  'hook-env-file': { type: 'string', multiple: true },
} as const satisfies OptionSpec;

export const HOOK_ENV_USAGE = `  --hook-env NAME[=VALUE]  give every hook script and local function this variable (repeatable);
                           NAME alone passes its value from this environment. User code gets
                           nothing else of this environment but PATH, HOME, LANG, LC_*, TZ, the
                           temp folder variables, SHELL, USER and NODE_PATH
  --hook-env-file FILE     the same for each NAME=VALUE line of FILE (dotenv style; repeatable,
                           a later file wins, --hook-env wins over files)`;

interface HookEnvValues {
  'hook-env'?: string[] | undefined;
  'hook-env-file'?: string[] | undefined;
}

/** What the local server's checks need (the module is loaded only when a `local` command runs). */
interface LocalChecks {
  parseEnvFile: typeof import('@codedeploy-gate/local').parseEnvFile;
  checkPassThroughName: typeof import('@codedeploy-gate/local').checkPassThroughName;
}

/**
 * The variables `--hook-env-file` and `--hook-env` pass to user code: files first, in order, then the
 * flags. Any unusable value is an exit-2 error naming the flag (and the file's line), before anything
 * starts. Values are never quoted back in messages: they are often secrets.
 */
export async function readHookEnvironment(
  values: HookEnvValues,
  env: NodeJS.ProcessEnv,
  cwd: string,
  local: LocalChecks,
): Promise<Record<string, string>> {
  const variables: Record<string, string> = Object.create(null);
  for (const file of values['hook-env-file'] ?? []) {
    for (const entry of parseFile(file, await readEnvFile(file, cwd), local)) {
      variables[entry.name] = entry.value;
    }
  }
  for (const spec of values['hook-env'] ?? []) {
    const equals = spec.indexOf('=');
    const name = equals === -1 ? spec : spec.slice(0, equals);
    try {
      local.checkPassThroughName(name);
    } catch (error) {
      throw flagError(`--hook-env ${name}`, error);
    }
    const value = equals === -1 ? env[name] : spec.slice(equals + 1);
    if (value === undefined) {
      throw new InvalidInputError(`--hook-env ${name}: ${name} is not set in this environment`, {
        hint: `Set ${name} before starting, or give the value: --hook-env ${name}=VALUE.`,
      });
    }
    variables[name] = value;
  }
  return variables;
}

async function readEnvFile(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      `--hook-env-file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { hint: 'Give a file of NAME=VALUE lines (dotenv style).', cause: error },
    );
  }
}

function parseFile(file: string, text: string, local: LocalChecks) {
  try {
    return local.parseEnvFile(text);
  } catch (error) {
    const line = (error as { line?: number }).line;
    throw flagError(`--hook-env-file ${file}${line === undefined ? '' : `:${line}`}`, error, /^line \d+: /);
  }
}

/** The local server's check error, as an input error naming the flag. */
function flagError(flag: string, error: unknown, drop?: RegExp): InvalidInputError {
  if (!(error instanceof InvalidInputError)) throw error;
  const message = drop ? error.message.replace(drop, '') : error.message;
  return new InvalidInputError(`${flag}: ${message}`, {
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    cause: error,
  });
}
