import { InvalidInputError, START_UP_FILE_VARIABLES } from '@codedeploy-gate/core';

/**
 * The variable every process started for user code carries, valued with the server's run id. Its
 * children inherit it, so the processes a hook or function left behind can be found and stopped
 * even after they moved to a session of their own (`setsid`, a double fork).
 */
export const RUN_MARKER_VARIABLE = 'CODEDEPLOY_GATE_LOCAL_RUN';

/** Host variables user code gets, by name; `LC_*` by prefix. */
const HOST_VARIABLES = new Set([
  'PATH',
  'HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'TZ',
  'NODE_PATH',
  'SHELL',
  'USER',
  // The SDK's Node-version notice is no credential, and would fill every hook's log tail.
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
]);

/** Names a user may not pass through: start-up files never run in user code, and the marker is ours. */
const RESERVED = new Set([...START_UP_FILE_VARIABLES, RUN_MARKER_VARIABLE]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A variable to pass through to user code that cannot be passed: exit 2, nothing started. */
export class HookEnvironmentError extends InvalidInputError {
  /** The line of an env file the problem is on, when it comes from one. */
  readonly line: number | undefined;

  constructor(message: string, options: { hint?: string; line?: number } = {}) {
    super(message, { hint: options.hint ?? 'Pass NAME or NAME=VALUE, one variable each.' });
    this.line = options.line;
  }
}

/**
 * What user code (a hook script, a local function) starts with: an allowlist of the host's
 * environment, not a denylist. A CI host holds credentials under any name (GITHUB_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN, ACTIONS_RUNTIME_TOKEN, NPM_TOKEN, a Jenkins job's bound credentials,
 * the user's AWS_* keys); user code must not reach them, nor print them into a `scripts.log`, a log
 * tail that GetDeploymentTarget or X-Amz-Log-Result hands out, or a report. Over that come the
 * `layers` in order (the variables the user passes through by name, the code's own, the service's),
 * each winning over the ones before; `BASH_ENV` and `ENV` never make it.
 */
export function userEnvironment(
  host: NodeJS.ProcessEnv,
  layers: ReadonlyArray<Readonly<Record<string, string | undefined>> | undefined>,
): Record<string, string> {
  // A `bash -c` whose stdin is a socket (a function's, a Node handler's child's) reads ~/.bashrc when
  // it takes itself for a top-level shell (SHLVL below 2 once it counted itself). Ours read no rc
  // file (--norc); from SHLVL=1, a bash that user code starts counts itself at 2 or more, even as a
  // command's last word, which bash execs with SHLVL lowered by one.
  const env: Record<string, string> = { SHLVL: '1' };
  for (const [key, value] of Object.entries(host)) {
    if (value !== undefined && (HOST_VARIABLES.has(key) || key.startsWith('LC_'))) env[key] = value;
  }
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) env[key] = value;
  }
  for (const name of START_UP_FILE_VARIABLES) delete env[name];
  return env;
}

/** Checks variables to pass through to user code (names, values) and returns a copy of them. */
export function checkPassThrough(variables: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(variables)) {
    checkPassThroughName(name);
    if (typeof value !== 'string') {
      throw new HookEnvironmentError(`the value of hook variable ${name} must be a string`);
    }
    if (value.includes('\0')) {
      throw new HookEnvironmentError(`the value of hook variable ${name} holds a NUL character`, {
        hint: 'An environment variable cannot hold NUL; pass the value another way (a file the hook reads).',
      });
    }
    checked[name] = value;
  }
  return checked;
}

/** A name user code may get from the user: a shell variable name, not one we reserve. */
export function checkPassThroughName(name: string, line?: number): void {
  const at = line === undefined ? {} : { line };
  if (!NAME.test(name)) {
    // From a file, the text before `=` is not quoted back: the line may be a secret.
    throw new HookEnvironmentError(
      line === undefined
        ? `"${name}" is not a variable name`
        : `line ${line}: the text before "=" is not a variable name`,
      {
        ...at,
        hint: 'A name is letters, digits and underscores, not starting with a digit (MY_TOKEN).',
      },
    );
  }
  if (RESERVED.has(name)) {
    throw new HookEnvironmentError(
      `${line === undefined ? '' : `line ${line}: `}${name} cannot be passed to hooks`,
      {
        ...at,
        hint:
          name === RUN_MARKER_VARIABLE
            ? `${name} is set by the local CodeDeploy to find what user code leaves running.`
            : `${name} names a file every shell would source first; start-up files never run inside hooks or functions. Source the file from the hook itself.`,
      },
    );
  }
}
