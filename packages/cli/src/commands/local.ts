import { basename, resolve } from 'node:path';
import { createCodeDeployClient } from '@codedeploy-gate/core/aws';
import { ExitCode, InvalidInputError, wrapAwsError } from '@codedeploy-gate/core/errors';
import { deployAndGate, parseDuration } from '@codedeploy-gate/core/gate';
import { createS3Client } from '@codedeploy-gate/core/s3';
import { RevisionInvalidError, validatePath } from '@codedeploy-gate/core/validation';
import type { ComputeSeed, FaultRule } from '@codedeploy-gate/local';
import { onePositional, parseCommandArgs } from '../cli-args.js';
import { GateDisplay } from '../terminal/gate-display.js';
import { readComputeSeedFile, seedError } from './compute-seed-file.js';
import type { Command, CommandContext } from './context.js';
import { finishGate } from './gate-finish.js';
import { GATE_OPTIONS, gateSettings } from './gate-options.js';
import { HOOK_ENV_OPTIONS, HOOK_ENV_USAGE, readHookEnvironment } from './hook-env.js';

const USAGE = `Usage: codedeploy-gate local serve [--port 4599] [--state-dir DIR] [--compute FILE]
                                       [--minute DURATION] [--github-dir DIR] [--fault SPEC]...
                                       [--hook-env NAME[=VALUE]]... [--hook-env-file FILE]...
       codedeploy-gate local run DIR [--instances 3] [--deployment-config NAME] [--state-dir DIR]
                                     [--hook-env NAME[=VALUE]]... [--hook-env-file FILE]...

A local CodeDeploy on your machine: the CodeDeploy, CodePipeline (custom actions, pipelines, job
worker API), Lambda, ECS and S3 APIs on one port, and an agent that runs your appspec's lifecycle
hooks for real on local instance folders (files land under each instance's folder, never on your
host's paths). Lambda and ECS deployments shift traffic on local aliases and task sets, and run hook
functions with a local runner (a command or a JS module) that reports back as a real one would.

local serve   Runs the server until Ctrl-C. Point any AWS SDK or the AWS CLI at it with
              AWS_ENDPOINT_URL=http://127.0.0.1:PORT (credentials are accepted unchecked).
  --port N          port to listen on (default 4599; 0 picks a free one)
  --state-dir DIR   keep applications, instances, deployments and S3 objects across restarts
  --compute FILE    Lambda functions (with local runners), ECS task definitions, clusters and
                    services, and alarm states to create at start (JSON or YAML; paths in it are
                    relative to FILE). See examples/lambda/local-compute.json, examples/ecs/.
  --minute DURATION how long one deployment-configuration minute lasts (default 1m): canary and
                    linear intervals, blue/green waits and hook timeouts. --minute 1s runs
                    LambdaCanary10Percent5Minutes in about 5 seconds.
  --github-dir DIR  where GitHub revisions come from: DIR/OWNER/REPO as a git repository, or
                    DIR/OWNER/REPO/COMMIT.tar.gz (there is no network access to GitHub)
  --fault SPEC      inject faults for tests, e.g. GetDeployment:throttle=0.5,latencyMs=200
                    (repeatable; settings throttle, serverError, accessDenied, drop, lose,
                    latencyMs, count: the members PUT /__local/faults takes)
${HOOK_ENV_USAGE}

local run DIR  Starts the server in-process, registers N local instances in a deployment group,
              pushes DIR, deploys it, shows progress and prints each instance's result.
  --instances N            how many instances (default 3)
  --deployment-config NAME CodeDeployDefault.OneAtATime (default), HalfAtATime, AllAtOnce, or custom
  --application NAME       application name (default: DIR's folder name)
  --state-dir DIR          keep the local CodeDeploy's state (default: a temporary folder)
  --timeout, --on-timeout, --on-cancel, --report-json, --report-markdown, --report-junit
                           as for \`deploy\` (the same gate runs here)
  --hook-env, --hook-env-file
                           as for \`local serve\`

Hooks and functions run with bash reading no start-up file (--noprofile --norc, no BASH_ENV), and
whatever they leave running (daemons included) is stopped when the server stops, or at the next
start on the same --state-dir after a crash.

Exit status: 0 the deployment succeeded, 1 it failed or was stopped, 2 invalid input, 3 timed out.`;

export const localCommand: Command = {
  usage: USAGE,
  async run(context) {
    const [sub, ...rest] = context.argv;
    if (sub === 'serve') return serve({ ...context, argv: rest });
    if (sub === 'run') return runLocal({ ...context, argv: rest });
    throw new InvalidInputError(sub ? `local: unknown subcommand "${sub}"` : 'local: missing subcommand', {
      hint: 'Use `codedeploy-gate local serve` or `codedeploy-gate local run DIR`.',
    });
  },
};

/**
 * The local CodeDeploy, loaded only when a `local` command runs: it is a separate package (an optional
 * peer), so installing the CLI does not install its server and S3 emulator; the other commands start
 * faster, and the Jenkins wrapper's bundle leaves it out.
 */
async function loadLocal(): Promise<typeof import('@codedeploy-gate/local')> {
  try {
    // webpackIgnore: a bundle of the CLI (the Jenkins wrapper's) keeps this a runtime import, so it
    // runs without the package and reports it missing here, instead of failing to start.
    return await import(/* webpackIgnore: true */ '@codedeploy-gate/local');
  } catch (error) {
    const missing = error as NodeJS.ErrnoException;
    // Only the package itself being absent is this case; a module missing inside it is a broken install.
    if (missing.code !== 'ERR_MODULE_NOT_FOUND' || !missing.message.includes("'@codedeploy-gate/local'"))
      throw error;
    throw new InvalidInputError('the local CodeDeploy is not installed: install @codedeploy-gate/local', {
      hint: 'Run `npm install @codedeploy-gate/local` beside @codedeploy-gate/cli (or use its own command, `npx @codedeploy-gate/local serve`); the Jenkins bundle leaves it out.',
      cause: error,
    });
  }
}

async function serve({ argv, output, signal, cwd, env }: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('local serve', argv, {
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'github-dir': { type: 'string' },
    fault: { type: 'string', multiple: true },
    compute: { type: 'string' },
    minute: { type: 'string' },
    ...HOOK_ENV_OPTIONS,
  });
  if (positionals.length > 0)
    throw new InvalidInputError(`local serve: unexpected argument "${positionals[0]}"`);
  const port = parsePort(values.port ?? '4599');
  const minuteMs = values.minute === undefined ? undefined : parseDuration('--minute', values.minute, 's');
  const computeFile = values.compute;
  const compute = computeFile === undefined ? undefined : await readComputeSeedFile(computeFile, cwd);
  const local = await loadLocal();
  const { ComputeSeedError, FaultSpecError, parseFaultSpec, startLocalCodeDeploy } = local;
  const faults: FaultRule[] = (values.fault ?? []).flatMap((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      throw new InvalidInputError(`--fault: ${error.message}`, {
        hint: "Write OPERATION:setting=value,..., e.g. --fault 'GetDeployment:throttle=0.5,latencyMs=200'.",
      });
    }
  });
  const hookEnvironment = await readHookEnvironment(values, env, cwd, local);
  const server = await startLocalCodeDeploy({
    port,
    faults,
    hookEnvironment,
    ...(values['state-dir'] ? { stateDir: resolve(cwd, values['state-dir']) } : {}),
    ...(values['github-dir'] ? { githubDir: resolve(cwd, values['github-dir']) } : {}),
    ...(minuteMs !== undefined ? { minuteMs } : {}),
    ...(compute !== undefined ? { compute } : {}),
    log: (line) => output.diagnostic(output.dim(line)),
  }).catch((error: NodeJS.ErrnoException) => {
    if (computeFile !== undefined && error instanceof ComputeSeedError) throw seedError(computeFile, error);
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
      throw new InvalidInputError(
        `cannot listen on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`,
        {
          hint: 'Pick another --port, or --port 0 for any free one.',
          cause: error,
        },
      );
    }
    throw error;
  });
  if (output.json) output.result({ endpoint: server.endpoint, port: server.port, stateDir: server.stateDir });
  output.line(
    `${output.green(`local CodeDeploy listening on ${server.endpoint}`)}  (state: ${server.stateDir})`,
  );
  if (minuteMs !== undefined)
    output.line(`  one deployment-configuration minute lasts ${formatMs(minuteMs)}`);
  for (const line of seedSummary(compute)) output.line(`  ${line}`);
  output.line(
    // AWS_DEFAULT_REGION too: the AWS CLI v1 and boto3 read only that one.
    `  export AWS_ENDPOINT_URL=${server.endpoint} AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
  );
  output.line('  Ctrl-C stops it.');
  await new Promise<void>((done) => {
    if (signal.aborted) done();
    signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  output.diagnostic('local CodeDeploy stopped');
  return ExitCode.Success;
}

async function runLocal({ argv, output, signal, cwd, env: cliEnv }: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('local run', argv, {
    instances: { type: 'string' },
    'deployment-config': { type: 'string' },
    application: { type: 'string' },
    'state-dir': { type: 'string' },
    ...GATE_OPTIONS,
    ...HOOK_ENV_OPTIONS,
  });
  const settings = await gateSettings(values, cwd);
  const local = await loadLocal();
  const { provisionFleet, startLocalCodeDeploy } = local;
  const dir = resolve(onePositional('local run', 'DIR', positionals));
  const instances = parseCount(values.instances ?? '3');
  const hookEnvironment = await readHookEnvironment(values, cliEnv, cwd, local);
  // Validate before starting anything, so a broken appspec costs nothing.
  const validation = await validatePath(dir);
  if (!validation.valid) throw new RevisionInvalidError(validation);
  const application = values.application ?? (basename(dir).replace(/[^A-Za-z0-9._+-]/g, '-') || 'app');
  const server = await startLocalCodeDeploy({
    port: 0,
    hookEnvironment,
    ...(values['state-dir'] ? { stateDir: resolve(values['state-dir']) } : {}),
  });
  const env = {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const codeDeploy = createCodeDeployClient({ env });
  const s3 = createS3Client({ env });
  try {
    output.line(output.dim(`local CodeDeploy on ${server.endpoint} (state: ${server.stateDir})`));
    const fleet = await provisionFleet(
      { codeDeploy, s3 },
      {
        application,
        instances,
        ...(values['deployment-config'] ? { deploymentConfig: values['deployment-config'] } : {}),
      },
    ).catch((error: unknown) => {
      throw wrapAwsError('setting up the local fleet', error);
    });
    output.line(
      `${fleet.instanceNames.length} instances in ${fleet.application}/${fleet.deploymentGroup}: ${fleet.instanceNames.join(', ')}`,
    );
    const display = new GateDisplay(output);
    try {
      const result = await deployAndGate({
        application,
        deploymentGroup: fleet.deploymentGroup,
        source: { kind: 'folder', dir, s3Location: `s3://${fleet.bucket}/${application}` },
        description: `codedeploy-gate local run ${dir}`,
        ...(values['deployment-config'] ? { deploymentConfig: values['deployment-config'] } : {}),
        timeoutMs: settings.timeoutMs,
        onTimeout: settings.onTimeout,
        onCancel: settings.onCancel,
        cancelBudgetMs: settings.cancelBudgetMs,
        // The local agent is in this process: look often, it costs nothing.
        pacing: { baseMs: 250, maxMs: 1_000, ...settings.pacing },
        liveTargets: output.interactive,
        env,
        signal,
        clients: { codeDeploy, s3 },
        onEvent: (event) => display.handle(event),
      });
      display.stop();
      return await finishGate(result.report, settings.reports, output);
    } finally {
      display.stop();
    }
  } finally {
    codeDeploy.destroy();
    s3.destroy();
    await server.close();
  }
}

/** `1s`, `250ms`, `1m 30s`: how long the local minute is, as people wrote it. */
function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(3))} s`;
  return `${Math.floor(ms / 60_000)} min${ms % 60_000 === 0 ? '' : ` ${Number(((ms % 60_000) / 1_000).toFixed(3))} s`}`;
}

/** What `--compute` put in place, one line per function, service and alarm. */
function seedSummary(seed: ComputeSeed | undefined): string[] {
  if (seed === undefined) return [];
  const lines: string[] = [];
  for (const fn of seed.functions ?? []) {
    const aliases = (fn.aliases ?? []).map((alias) => `${alias.name} → ${alias.version}`);
    lines.push(`Lambda function ${fn.name}${aliases.length > 0 ? ` (alias ${aliases.join(', ')})` : ''}`);
  }
  for (const cluster of seed.ecs?.clusters ?? []) {
    for (const service of cluster.services ?? []) lines.push(`ECS service ${cluster.name}/${service.name}`);
  }
  for (const [name, state] of Object.entries(seed.alarms ?? {})) lines.push(`alarm ${name}: ${state}`);
  return lines;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  throw new InvalidInputError(`--port must be a port number from 0 to 65535, not "${value}"`, {
    hint: 'Use --port 0 to pick a free port.',
  });
}

function parseCount(value: string): number {
  const count = Number(value);
  if (Number.isInteger(count) && count >= 1 && count <= 50) return count;
  throw new InvalidInputError(`--instances must be a whole number from 1 to 50, not "${value}"`, {
    hint: 'Three instances show batching; one is fastest.',
  });
}
