import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, startProcess } from '@codedeploy-gate/test-support';
import { load } from 'js-yaml';

/**
 * Runs the committed bundle the way the GitHub runner does: `node dist/index.js` (main) or
 * `node dist/post.js` (post) as a child process, inputs as INPUT_* variables with action.yml's
 * defaults filled in, the GITHUB_* variables of a push run, and file commands (GITHUB_OUTPUT,
 * GITHUB_STATE, GITHUB_STEP_SUMMARY) that are read back afterwards. The post step gets the main
 * step's saved state as STATE_* variables, as the runner passes it.
 */

const ACTION_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = { main: join(ACTION_DIR, 'dist/index.js'), post: join(ACTION_DIR, 'dist/post.js') };

interface ActionYaml {
  inputs: Record<string, { default?: string; required?: boolean }>;
}

export const ACTION = load(readFileSync(join(ACTION_DIR, 'action.yml'), 'utf8')) as ActionYaml;

export const RUN = {
  repository: 'octo-org/shop',
  sha: '4f2d8c1e9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
  runId: '9876543210',
  runNumber: '42',
  actor: 'octocat',
  workflow: 'Deploy',
};

export interface Job {
  /** The runner's temp and file-command folder for this job. */
  dir: string;
  workspace: string;
  files: { output: string; state: string; summary: string; event: string };
}

/** A job's folders and file-command files; `workspace` is where the repository is checked out. */
export async function newJob(root: string, name: string, workspace: string): Promise<Job> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const files = {
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md'),
    event: join(dir, 'event.json'),
  };
  for (const file of [files.output, files.state, files.summary]) await writeFile(file, '');
  await writeFile(
    files.event,
    JSON.stringify({ ref: 'refs/heads/main', after: RUN.sha, repository: { full_name: RUN.repository } }),
  );
  return { dir, workspace, files };
}

export interface StepResult extends ProcessResult {
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
}

export interface RunningStep {
  child: ChildProcess;
  done: Promise<StepResult>;
}

/** Starts a step; `inputs` are the workflow's `with:` (names as in action.yml). */
export function startStep(
  phase: 'main' | 'post',
  job: Job,
  inputs: Record<string, string>,
  env: Record<string, string>,
): RunningStep {
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ACTION.inputs)) {
    const value = inputs[name] ?? spec.default;
    // The runner sets an input's variable when the workflow or action.yml gives it a value.
    if (value !== undefined) inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const unknown = Object.keys(inputs).filter((name) => !(name in ACTION.inputs));
  if (unknown.length > 0) throw new Error(`not inputs of action.yml: ${unknown.join(', ')}`);
  const stateEnv = phase === 'post' ? stateVariables(job) : {};
  const started = startProcess(process.execPath, [ENTRY[phase]], {
    cwd: job.workspace,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: job.workspace,
      GITHUB_REPOSITORY: RUN.repository,
      GITHUB_REPOSITORY_OWNER: RUN.repository.split('/')[0] ?? '',
      GITHUB_SHA: RUN.sha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: job.files.event,
      GITHUB_WORKFLOW: RUN.workflow,
      GITHUB_RUN_ID: RUN.runId,
      GITHUB_RUN_NUMBER: RUN.runNumber,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_ACTOR: RUN.actor,
      GITHUB_JOB: 'deploy',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
      GITHUB_OUTPUT: job.files.output,
      GITHUB_STATE: job.files.state,
      GITHUB_STEP_SUMMARY: job.files.summary,
      RUNNER_TEMP: job.dir,
      RUNNER_OS: 'Linux',
      ...stateEnv,
      ...inputEnv,
      ...env,
    },
  });
  const done = started.done.then(
    async (run): Promise<StepResult> => ({
      ...run,
      outputs: parseFileCommand(await readFile(job.files.output, 'utf8')),
      state: parseFileCommand(await readFile(job.files.state, 'utf8')),
      summary: await readFile(job.files.summary, 'utf8'),
      commands: parseWorkflowCommands(run.stdout),
    }),
  );
  return { child: started.child, done };
}

export function runStep(
  phase: 'main' | 'post',
  job: Job,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<StepResult> {
  return startStep(phase, job, inputs, env).done;
}

/** What the runner hands the post step: each saved state value as STATE_<name>. */
function stateVariables(job: Job): Record<string, string> {
  const state = parseFileCommand(readFileSync(job.files.state, 'utf8'));
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
}

/** `name<<DELIMITER\nvalue\nDELIMITER\n`, the format @actions/core writes (later values win). */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (const match of text.matchAll(pattern)) values[match[1] as string] = match[3] as string;
  return values;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** `::error title=...::message` lines, unescaped as the runner reads them. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').trim().split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeCommand(pair.slice(at + 1));
    }
    commands.push({ command: match[1] as string, properties, message: unescapeCommand(match[3] ?? '') });
  }
  return commands;
}

function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}
