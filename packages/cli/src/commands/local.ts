import { basename, resolve } from 'node:path';
import { CreateDeploymentCommand, type DeploymentTarget } from '@aws-sdk/client-codedeploy';
import {
  createCodeDeployClient,
  createS3Client,
  DeploymentFailedError,
  ExitCode,
  InvalidInputError,
  listTargets,
  pushRevision,
  RevisionInvalidError,
  validatePath,
  waitForDeployment,
  wrapAwsError,
} from '@codedeploy-gate/core';
import { type FaultRule, parseFaultSpec, provisionFleet, startLocalCodeDeploy } from '@codedeploy-gate/local';
import { onePositional, parseCommandArgs } from '../cli-args.js';
import type { Output } from '../terminal/output.js';
import { renderTargetsTable } from '../terminal/targets-table.js';
import type { Command, CommandContext } from './context.js';

const USAGE = `Usage: codedeploy-gate local serve [--port 4599] [--state-dir DIR] [--github-dir DIR] [--fault SPEC]...
       codedeploy-gate local run DIR [--instances 3] [--deployment-config NAME] [--state-dir DIR]

A local CodeDeploy on your machine: the CodeDeploy and S3 APIs on one port, and an agent that runs
your appspec's lifecycle hooks for real on local instance folders (files land under each instance's
folder, never on your host's paths).

local serve   Runs the server until Ctrl-C. Point any AWS SDK or the AWS CLI at it with
              AWS_ENDPOINT_URL=http://127.0.0.1:PORT (credentials are accepted unchecked).
  --port N          port to listen on (default 4599; 0 picks a free one)
  --state-dir DIR   keep applications, instances, deployments and S3 objects across restarts
  --github-dir DIR  where GitHub revisions come from: DIR/OWNER/REPO as a git repository, or
                    DIR/OWNER/REPO/COMMIT.tar.gz (there is no network access to GitHub)
  --fault SPEC      inject faults for tests, e.g. GetDeployment:throttle=0.5,latency=200 (repeatable)

local run DIR  Starts the server in-process, registers N local instances in a deployment group,
              pushes DIR, deploys it, shows progress and prints each instance's result.
  --instances N            how many instances (default 3)
  --deployment-config NAME CodeDeployDefault.OneAtATime (default), HalfAtATime, AllAtOnce, or custom
  --application NAME       application name (default: DIR's folder name)
  --state-dir DIR          keep the local CodeDeploy's state (default: a temporary folder)

Exit status: 0 the deployment succeeded, 1 it failed or was stopped, 2 invalid input.`;

export const localCommand: Command = {
  name: 'local',
  summary: 'run a local CodeDeploy (serve) or deploy a folder to local instances (run)',
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

async function serve({ argv, output, signal }: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('local serve', argv, {
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'github-dir': { type: 'string' },
    fault: { type: 'string', multiple: true },
  });
  if (positionals.length > 0)
    throw new InvalidInputError(`local serve: unexpected argument "${positionals[0]}"`);
  const port = parsePort(values.port ?? '4599');
  const faults: FaultRule[] = (values.fault ?? []).flatMap((spec) => parseFaultSpec(spec));
  const server = await startLocalCodeDeploy({
    port,
    faults,
    ...(values['state-dir'] ? { stateDir: resolve(values['state-dir']) } : {}),
    ...(values['github-dir'] ? { githubDir: resolve(values['github-dir']) } : {}),
    log: (line) => output.diagnostic(output.dim(line)),
  }).catch((error: NodeJS.ErrnoException) => {
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
  output.line(
    `  export AWS_ENDPOINT_URL=${server.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
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

async function runLocal({ argv, output, signal }: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('local run', argv, {
    instances: { type: 'string' },
    'deployment-config': { type: 'string' },
    application: { type: 'string' },
    'state-dir': { type: 'string' },
  });
  const dir = resolve(onePositional('local run', 'DIR', positionals));
  const instances = parseCount(values.instances ?? '3');
  // Validate before starting anything, so a broken appspec costs nothing.
  const validation = await validatePath(dir);
  if (!validation.valid) throw new RevisionInvalidError(validation);
  const application = values.application ?? (basename(dir).replace(/[^A-Za-z0-9._+-]/g, '-') || 'app');
  const server = await startLocalCodeDeploy({
    port: 0,
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
    const pushed = await pushRevision(dir, {
      application,
      s3Location: `s3://${fleet.bucket}/${application}`,
      env,
      signal,
      clients: { codeDeploy, s3 },
    });
    output.line(`pushed ${pushed.files} files (${pushed.bundleType}, sha256 ${pushed.sha256.slice(0, 12)})`);
    const created = await codeDeploy
      .send(
        new CreateDeploymentCommand({
          applicationName: application,
          deploymentGroupName: fleet.deploymentGroup,
          revision: pushed.revision,
          description: `codedeploy-gate local run ${dir}`,
          ...(values['deployment-config'] ? { deploymentConfigName: values['deployment-config'] } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw wrapAwsError('creating the deployment', error);
      });
    const deploymentId = created.deploymentId ?? '';
    output.line(`deployment ${deploymentId} created`);
    const seen = new Map<string, string>();
    const final = await waitForDeployment(codeDeploy, deploymentId, {
      intervalMs: 250,
      signal,
      onChange: async (info) => {
        const o = info.deploymentOverview ?? {};
        output.line(
          output.dim(
            `${info.status}: ${o.Succeeded ?? 0} succeeded, ${o.InProgress ?? 0} in progress, ${o.Pending ?? 0} pending, ${o.Failed ?? 0} failed, ${o.Skipped ?? 0} skipped`,
          ),
        );
        reportEvents(output, await listTargets(codeDeploy, deploymentId, signal), seen);
      },
    });
    const targets = await listTargets(codeDeploy, deploymentId, signal);
    reportEvents(output, targets, seen);
    output.line('');
    output.line(renderTargetsTable(targets, output));
    if (final.status === 'Succeeded') {
      output.line(output.green(`✓ deployment ${deploymentId} succeeded`));
      return ExitCode.Success;
    }
    const error = final.errorInformation;
    throw new DeploymentFailedError(
      `deployment ${deploymentId} ${final.status?.toLowerCase()}${error ? `: ${error.code}: ${error.message}` : ''}`,
      { hint: 'The failing instance, lifecycle event and log tail are listed above.' },
    );
  } finally {
    codeDeploy.destroy();
    s3.destroy();
    await server.close();
  }
}

/** One line per lifecycle event that started or ended since the last look. */
function reportEvents(output: Output, targets: DeploymentTarget[], seen: Map<string, string>): void {
  for (const target of targets) {
    const instance = target.instanceTarget;
    if (!instance?.targetId) continue;
    for (const event of instance.lifecycleEvents ?? []) {
      const key = `${instance.targetId}/${event.lifecycleEventName}`;
      const status = event.status ?? 'Pending';
      // Skipped events add nothing the final table does not say.
      if (status === 'Pending' || status === 'Skipped' || seen.get(key) === status) continue;
      seen.set(key, status);
      const mark = status === 'Succeeded' ? output.green('✓') : status === 'Failed' ? output.red('✗') : '…';
      output.line(
        `  ${instance.targetId.padEnd(24)} ${mark} ${event.lifecycleEventName} ${status === 'InProgress' ? '' : status}`.trimEnd(),
      );
    }
  }
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
