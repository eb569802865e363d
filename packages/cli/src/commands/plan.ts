import { InvalidInputError } from '@codedeploy-gate/core/errors';
import {
  type DeploymentPlan,
  planDeployment,
  renderTextPlan,
  writePlanFiles,
} from '@codedeploy-gate/core/plan';
import { parseCommandArgs } from '../cli-args.js';
import type { Output } from '../terminal/output.js';
import { awsOptions, awsUsage } from './aws-options.js';
import { COMPUTE_USAGE } from './compute-flags.js';
import type { Command, CommandContext } from './context.js';
import { DEPLOY_OPTIONS, deploymentTarget, REVISION_USAGE } from './deploy.js';
import { gateSettings } from './gate-options.js';

/** How messages name the plan files: by the flags `deploy` also takes. */
const PLAN_FILE_FLAGS = { json: '--report-json', markdown: '--report-markdown' };

export const planCommand: Command = {
  usage: `Usage: codedeploy-gate plan --application APP --deployment-group GROUP REVISION [deploy options]

Takes exactly the options of \`deploy\` (see \`codedeploy-gate deploy --help\`) and makes read calls
only: nothing is uploaded, registered, published or created. It prints
  - the revision: the bundle's sha256 and size, and whether that exact bundle is already in S3;
  - what changes against the live revision (the group's last successful deployment): files added,
    removed and changed, listed from the live bundle's zip central directory with HTTP range
    requests (a tar is streamed once), and the appspec's hooks, scripts, files and permissions;
  - for Lambda and ECS: the alias's version or the service's task definition → the new one, and
    the settings that differ (environment variable names, never values);
  - how it would roll out: batches of instances in CodeDeploy's order (unhealthy, unknown, old,
    current), the minimum healthy hosts and the point at which the deployment would fail; Lambda and
    ECS traffic steps with their times and blue/green waits; auto-rollback, alarms, expected duration;
  - what would stop it: an active deployment in the group (unless --queue), no instances, a
    configuration whose minimum healthy hosts the group cannot meet.

  --report-json FILE       write the plan as JSON (schema codedeploy-gate/plan@1)
  --report-markdown FILE   ... as Markdown (a pull-request comment, a job summary)
  --json                   print the plan as JSON on stdout
${awsUsage()}

${REVISION_USAGE}

${COMPUTE_USAGE}

Deployment options as for deploy (--deployment-config, --queue, --auto-rollback, --format, --exclude,
...); gate options (--timeout, --on-timeout, ...) are accepted and have no effect: nothing is watched.

Exit status: 0 nothing blocks the deployment, 1 a blocking finding (named), 2 invalid input or
configuration, 4 AWS or network failure.`,

  async run(context: CommandContext) {
    const { argv, output, env, cwd, signal } = context;
    const { values, positionals } = parseCommandArgs('plan', argv, DEPLOY_OPTIONS);
    for (const flag of ['report-junit', 'report-properties'] as const) {
      if (values[flag] !== undefined) {
        throw new InvalidInputError(`plan: --${flag} is a deployment's report; a plan has none`, {
          hint: 'Use --report-json or --report-markdown for the plan.',
        });
      }
    }
    const target = deploymentTarget(values, positionals, cwd, 'plan');
    const settings = await gateSettings(values, cwd);
    const plan = await planDeployment({
      ...target,
      ...(await awsOptions(env, settings)),
      signal,
      onCheck: (detail) => output.progress(detail),
    });
    return printPlan(plan, output, settings.reports);
  },
};

/** Writes the plan files, prints the plan (text, or JSON with --json) and answers its exit code. */
export async function printPlan(
  plan: DeploymentPlan,
  output: Output,
  files: { json?: string | undefined; markdown?: string | undefined },
): Promise<number> {
  const written = await writePlanFiles(
    plan,
    { json: files.json, markdown: files.markdown },
    PLAN_FILE_FLAGS,
    output.masker,
  );
  if (output.json) {
    output.result(plan);
  } else {
    output.line(renderTextPlan(plan, output));
    for (const file of written) output.line(output.dim(`plan: ${file}`));
  }
  return plan.exitCode;
}
