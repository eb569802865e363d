import { createCodeDeployClient } from '@codedeploy-gate/core/aws';
import { ExitCode } from '@codedeploy-gate/core/errors';
import { stopDeployment } from '@codedeploy-gate/core/gate';
import { onePositional, parseCommandArgs } from '../cli-args.js';
import { AWS_OPTIONS, awsOptions, awsUsage } from './aws-options.js';
import type { Command } from './context.js';
import { deploymentIdArgument } from './status.js';

export const stopCommand: Command = {
  usage: `Usage: codedeploy-gate stop DEPLOYMENT_ID [--rollback] [--region REGION] [--profile NAME] [--json]

StopDeployment: no further lifecycle events are scheduled. With --rollback, CodeDeploy then redeploys
the group's last successful revision as a new deployment (its id is in \`status\`). A deployment that
already ended is reported, not treated as an error.

Options:
${awsUsage()}

Exit status: 0 stopped (or already ended), 2 not a deployment id or no such deployment, 4 AWS or
network failure.`,

  async run({ argv, output, env, signal }) {
    const { values, positionals } = parseCommandArgs('stop', argv, {
      rollback: { type: 'boolean' },
      ...AWS_OPTIONS,
    });
    const deploymentId = deploymentIdArgument('stop', onePositional('stop', 'DEPLOYMENT_ID', positionals));
    const client = createCodeDeployClient(await awsOptions(env, values));
    try {
      const result = await stopDeployment(client, deploymentId, {
        rollback: values.rollback === true,
        signal,
      });
      if (output.json) output.result({ deploymentId, rollback: values.rollback === true, ...result });
      else if (result.status === 'AlreadyCompleted')
        output.line(`deployment ${deploymentId} had already ended`);
      else
        output.line(
          `deployment ${deploymentId} ${result.status === 'Pending' ? 'is stopping' : 'stopped'}${values.rollback ? ', rollback requested' : ''}${result.message ? `: ${result.message}` : ''}`,
        );
      return ExitCode.Success;
    } finally {
      client.destroy();
    }
  },
};
