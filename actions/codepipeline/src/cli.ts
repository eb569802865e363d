import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { type ActionCategory, CodePipelineClient } from '@aws-sdk/client-codepipeline';
import {
  type AwsClientOptions,
  awsClientConfig,
  checkOutputPath,
  describeEndpoint,
  InvalidInputError,
  isGateError,
  parseDuration,
  resolveRegion,
  withAwsProfile,
} from '@codedeploy-gate/core';
import { Journal } from './journal.js';
import { createLogger } from './log.js';
import { workerVersion } from './version.js';
import { HEALTH_FILE, runWorker } from './worker.js';

export const USAGE = `Usage: codedeploy-gate-codepipeline --provider NAME --version V [options]

Runs the job worker of the codedeploy-gate CodePipeline custom action (category Deploy, owner Custom):
polls for jobs, deploys each action's input artifact (or the Lambda/ECS revision its RevisionSpec
describes) through CodeDeploy and gates the stage on the deployment, answering every job at once with a
continuation token while the deployment runs (a ContinueAfter check runs within its job).

Options:
  --provider NAME        the action type's provider (as in action-type.json)      required
  --version V            the action type's version                                required
  --category C           the action type's category                               default Deploy
  --concurrency N        jobs worked on at once                                   default 4
  --region R             AWS region (else AWS_REGION / AWS_DEFAULT_REGION / the profile's region)
  --profile NAME         AWS profile in ~/.aws/config (else AWS_PROFILE, else default)
  --poll-interval D      pause between polls that found nothing, e.g. 10s, 500ms  default 10s
  --state-dir DIR        where acknowledged jobs are journaled, so a restart finishes them
                         default $STATE_DIRECTORY (systemd), else ~/.codedeploy-gate-codepipeline
  --health-file FILE     rewritten after every successful poll (for liveness checks)
  --shutdown-grace D     on SIGTERM/SIGINT, how long jobs in hand may take          default 60s
  --check-timeout D      the longest a ContinueAfter check may run (within one job) default 15m
  --debug                debug log lines
  -h, --help

Logs are JSON lines on stdout; a "ready" line follows the first successful poll.
Exit status: 0 stopped by SIGTERM/SIGINT, 2 invalid options or an action type that does not exist.`;

const CATEGORIES = ['Source', 'Build', 'Deploy', 'Test', 'Invoke', 'Approval', 'Compute'];

/** Parses the options, starts the worker, and resolves with the process's exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<number> {
  const log = createLogger(undefined, {}, argv.includes('--debug'));
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        provider: { type: 'string' },
        version: { type: 'string' },
        category: { type: 'string', default: 'Deploy' },
        concurrency: { type: 'string', default: '4' },
        region: { type: 'string' },
        profile: { type: 'string' },
        'poll-interval': { type: 'string', default: '10s' },
        'state-dir': { type: 'string' },
        'health-file': { type: 'string' },
        'shutdown-grace': { type: 'string', default: '60s' },
        'check-timeout': { type: 'string', default: '15m' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const provider = requiredOption('--provider', values.provider);
    const version = requiredOption('--version', values.version);
    const concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
      throw new InvalidInputError(
        `--concurrency must be a whole number from 1 to 100, got "${values.concurrency}"`,
      );
    }
    const aws: AwsClientOptions = await withAwsProfile({
      env,
      ...(values.region ? { region: values.region } : {}),
      ...(values.profile ? { profile: values.profile } : {}),
    });
    const region = resolveRegion(aws);
    const stateDir = resolve(
      values['state-dir'] ??
        env.STATE_DIRECTORY?.split(':')[0] ??
        join(homedir(), '.codedeploy-gate-codepipeline'),
    );
    const journal = new Journal(join(stateDir, 'jobs'));
    await journal.open().catch((error: unknown) => {
      throw new InvalidInputError(`cannot use the state dir ${stateDir}: ${(error as Error).message}`, {
        hint: 'Give a writable --state-dir (systemd: StateDirectory=), where acknowledged jobs are journaled.',
      });
    });
    const category = values.category ?? 'Deploy';
    if (!CATEGORIES.includes(category)) {
      throw new InvalidInputError(`--category must be one of ${CATEGORIES.join(', ')}, got "${category}"`);
    }
    const healthFile = values['health-file'] ? resolve(values['health-file']) : undefined;
    // A device, pipe, socket or folder there could never be a health file; a folder still to come
    // (a mount) may be, and until then each write is said once and the work goes on.
    if (healthFile !== undefined)
      await checkOutputPath(healthFile, { what: HEALTH_FILE, createFolders: true });
    const codePipeline = new CodePipelineClient(awsClientConfig('codepipeline', aws));
    const codeDeploy = new CodeDeployClient(awsClientConfig('codedeploy', aws));
    log.info('starting', {
      worker: workerVersion(),
      provider,
      version,
      region,
      concurrency,
      stateDir,
      endpoint: describeEndpoint('codepipeline', aws),
    });
    try {
      return await runWorker({
        actionTypeId: { category: category as ActionCategory, owner: 'Custom', provider, version },
        concurrency,
        pollIntervalMs: parseDuration('--poll-interval', values['poll-interval'] ?? '10s', 's'),
        region,
        aws,
        clients: { codePipeline, codeDeploy },
        journal,
        log,
        healthFile,
        stop,
        shutdownGraceMs: parseDuration('--shutdown-grace', values['shutdown-grace'] ?? '60s', 's'),
        checkTimeoutMs: parseDuration('--check-timeout', values['check-timeout'] ?? '15m', 'm'),
      });
    } finally {
      codePipeline.destroy();
      codeDeploy.destroy();
    }
  } catch (error) {
    if (isGateError(error)) {
      log.error(error.message, { hint: error.hint });
      return error.exitCode;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      log.error((error as Error).message, { hint: 'See codedeploy-gate-codepipeline --help.' });
      return 2;
    }
    throw error;
  }
}

function requiredOption(name: string, value: string | undefined): string {
  if (!value)
    throw new InvalidInputError(`${name} is required`, { hint: 'See codedeploy-gate-codepipeline --help.' });
  return value;
}
