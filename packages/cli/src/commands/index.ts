import type { CommandEntry } from './context.js';

export type { Command, CommandContext, CommandEntry } from './context.js';

/**
 * Every command, in the order `--help` lists them. `load` imports the command's module only when it
 * runs: `--help` and `validate` load no AWS SDK client, `status` only CodeDeploy's.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check an appspec, a revision folder or a bundle the way the CodeDeploy agent and service will',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'package',
    summary: 'validate a revision folder and write a deterministic zip, tar or tgz bundle',
    load: async () => (await import('./package.js')).packageCommand,
  },
  {
    name: 'push',
    summary: 'package a revision, upload it to S3 (once) and register it with a CodeDeploy application',
    load: async () => (await import('./push.js')).pushCommand,
  },
  {
    name: 'plan',
    summary: 'show what a deployment would change and how it would roll out, changing nothing',
    load: async () => (await import('./plan.js')).planCommand,
  },
  {
    name: 'deploy',
    summary: 'create a CodeDeploy deployment and gate on it: exit 0 only when it succeeded',
    load: async () => (await import('./deploy.js')).deployCommand,
  },
  {
    name: 'wait',
    summary: 'gate on an existing deployment: watch it to the end, exit 0 only when it succeeded',
    load: async () => (await import('./wait.js')).waitCommand,
  },
  {
    name: 'status',
    summary: 'show a deployment once: status, targets, failures and log tails',
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'stop',
    summary: 'stop a deployment, optionally rolling back to the last successful revision',
    load: async () => (await import('./stop.js')).stopCommand,
  },
  {
    name: 'local',
    summary: 'run a local CodeDeploy (serve) or deploy a folder to local instances (run)',
    load: async () => (await import('./local.js')).localCommand,
  },
];
