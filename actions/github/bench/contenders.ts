import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { load } from 'js-yaml';

/** One way of getting from "start a process" to "a CodeDeploy request is on the wire". */
export interface Contender {
  id: 'action' | 'cli' | 'cli-direct';
  label: string;
  /** The command as a reader would type it (printed with the results). */
  command: string;
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** A fixed commit, so every run describes the same deployment. */
export const BENCH_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

const DUMMY_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench/secret/key/not/used/anywhere/0000000',
};

/**
 * The parent's environment without anything that would steer either contender elsewhere: AWS settings
 * (profiles, CA bundles, endpoints), a runner's own variables, and Node options such as tsx's loader,
 * which would make the action's Node start slower than a runner's.
 */
function neutralEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(AWS_|INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(name) || name === 'NODE_OPTIONS') delete env[name];
  }
  return env;
}

/** Settings both contenders share: dummy keys, and no shared config or credentials file from HOME. */
function awsEnv(scratch: string): NodeJS.ProcessEnv {
  return {
    ...DUMMY_CREDENTIALS,
    AWS_CONFIG_FILE: join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

interface ActionInput {
  default?: string;
}

/** `INPUT_<NAME>=default` for every input with a default, as the runner sets them before `node dist/index.js`. */
export function inputDefaults(actionYml: string): Record<string, string> {
  const { inputs } = load(readFileSync(actionYml, 'utf8')) as { inputs: Record<string, ActionInput> };
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(inputs)) {
    if (input.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(input.default);
  }
  return env;
}

/** The bundled action's main step, with the environment a runner gives it on a push to main. */
export async function actionContender(entry: string, actionYml: string, scratch: string, endpoint: string) {
  const workspace = join(scratch, 'workspace');
  await mkdir(workspace, { recursive: true });
  const eventPath = join(scratch, 'event.json');
  await writeFile(eventPath, '{}\n');
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary.md', GITHUB_STATE: 'state' };
  const runnerFiles: Record<string, string> = {};
  for (const [name, file] of Object.entries(files)) {
    const path = join(scratch, file);
    await writeFile(path, '');
    runnerFiles[name] = path;
  }
  const contender: Contender = {
    id: 'action',
    label: 'codedeploy-gate action (dist/index.js)',
    command: 'node actions/github/dist/index.js',
    file: process.execPath,
    args: [entry],
    env: {
      ...neutralEnv(),
      ...inputDefaults(actionYml),
      INPUT_APPLICATION: 'bench-app',
      'INPUT_DEPLOYMENT-GROUP': 'bench-group',
      'INPUT_REVISION-TYPE': 'github',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo/bench',
      GITHUB_SHA: BENCH_SHA,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_WORKFLOW: 'deploy',
      GITHUB_JOB: 'deploy',
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      ...runnerFiles,
      RUNNER_TEMP: scratch,
      RUNNER_OS: 'Linux',
      ...awsEnv(scratch),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  };
  return contender;
}

/** The first thing a shell pipeline does with the AWS CLI: one CodeDeploy call. */
export function cliContender(aws: string, scratch: string, endpoint: string): Contender {
  return {
    id: 'cli',
    label: 'AWS CLI (aws deploy get-application)',
    command: `aws deploy get-application --application-name bench-app --endpoint-url http://127.0.0.1:PORT`,
    file: aws,
    args: ['deploy', 'get-application', '--application-name', 'bench-app', '--endpoint-url', endpoint],
    env: { ...neutralEnv(), ...awsEnv(scratch), AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
  };
}

/**
 * When `aws` on PATH is a pyenv shim (a bash script that runs `pyenv exec`, ≈ 0.1 s before Python
 * starts), the same call through the CLI's own entry point: what the CLI costs where it is installed
 * without a version manager in front. Undefined when `aws` is not a shim.
 */
export function directCliContender(aws: string, scratch: string, endpoint: string): Contender | undefined {
  if (!/\/shims\/aws$/.test(aws)) return undefined;
  const which = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  const direct = which.status === 0 ? which.stdout.trim() : '';
  if (!direct || direct === aws) return undefined;
  return {
    ...cliContender(direct, scratch, endpoint),
    id: 'cli-direct',
    label: 'AWS CLI without the pyenv shim',
    command: `$(pyenv which aws) deploy get-application ... (${direct})`,
  };
}

/** The `aws` a shell would run, or undefined when there is none on PATH. */
export function findOnPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory: keep looking, as the shell does.
    }
  }
  return undefined;
}
