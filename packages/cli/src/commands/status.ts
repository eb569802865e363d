import { createCodeDeployClient, hasAwsConsole, resolveRegion } from '@codedeploy-gate/core/aws';
import { ExitCode, InvalidInputError } from '@codedeploy-gate/core/errors';
import { getDeployment, listTargets } from '@codedeploy-gate/core/gate';
import {
  buildDeploymentReport,
  maskedNote,
  ReportMasking,
  renderTextDeployment,
} from '@codedeploy-gate/core/report';
import { onePositional, parseCommandArgs } from '../cli-args.js';
import { AWS_OPTIONS, awsOptions, awsUsage } from './aws-options.js';
import type { Command } from './context.js';

/** Deployment ids are `d-` and 9 alphanumerics on AWS; anything else is a typo worth catching early. */
export function deploymentIdArgument(command: string, value: string): string {
  if (/^d-[A-Za-z0-9]{6,}$/.test(value)) return value;
  throw new InvalidInputError(`${command}: "${value}" is not a deployment id`, {
    hint: 'Deployment ids look like d-A1B2C3D4E (aws deploy list-deployments lists them).',
  });
}

export const statusCommand: Command = {
  usage: `Usage: codedeploy-gate status DEPLOYMENT_ID [--region REGION] [--profile NAME] [--json]

One look at a deployment, without waiting: its status, a row per target, each failure's lifecycle
event, error code, script and log tail (credentials in it masked as ***), and the console link. With
--json, the deployment part of the report schema (codedeploy-gate/report@1) and maskedValues on
stdout.

Options:
${awsUsage()}

Exit status: 0 succeeded or still running, 1 failed or stopped, 2 no such deployment, 4 AWS or
network failure.`,

  async run({ argv, output, env, signal }) {
    const { values, positionals } = parseCommandArgs('status', argv, AWS_OPTIONS);
    const deploymentId = deploymentIdArgument(
      'status',
      onePositional('status', 'DEPLOYMENT_ID', positionals),
    );
    const aws = await awsOptions(env, values);
    const client = createCodeDeployClient(aws);
    try {
      const info = await getDeployment(client, deploymentId, { signal });
      const targets = await listTargets(client, deploymentId, { signal });
      const masking = new ReportMasking(output.masker);
      const deployment = buildDeploymentReport(info, targets, resolveRegion(aws), {
        masking,
        awsConsole: await hasAwsConsole(client),
      });
      if (output.json) output.result({ deployment, maskedValues: masking.count });
      else {
        output.line(renderTextDeployment(deployment, output));
        if (masking.count > 0) output.line(output.dim(maskedNote(masking.count)));
      }
      return deployment.status === 'Failed' || deployment.status === 'Stopped'
        ? ExitCode.DeploymentFailed
        : ExitCode.Success;
    } finally {
      client.destroy();
    }
  },
};
