import { createCodeDeployClient, resolveRegion } from '@codedeploy-gate/core/aws';
import { gateDeployment } from '@codedeploy-gate/core/gate';
import { onePositional, parseCommandArgs } from '../cli-args.js';
import { GateDisplay } from '../terminal/gate-display.js';
import { awsOptions } from './aws-options.js';
import type { Command } from './context.js';
import { finishGate } from './gate-finish.js';
import { GATE_OPTIONS, GATE_USAGE, gateSettings } from './gate-options.js';
import { deploymentIdArgument } from './status.js';

export const waitCommand: Command = {
  usage: `Usage: codedeploy-gate wait DEPLOYMENT_ID [options]

Watches a deployment someone else created (or \`deploy --no-wait\` did) exactly as \`deploy\` would,
with the same progress, diagnostics, reports and exit codes. It makes fewer calls than
\`aws deploy wait deployment-successful\` and notices the end sooner (see bench/README.md).

Options:
${GATE_USAGE.replace('(default for both: rollback when the group has a successful deployment\n                           to return to, else stop)', '(default for both here: leave; this command did not start it)')}
  --json                   print the report as JSON on stdout

Exit status: 0 succeeded, 1 failed or stopped, 2 no such deployment, 3 gate timed out, 4 AWS or
network failure,
130/143 interrupted by SIGINT/SIGTERM.`,

  async run({ argv, output, env, cwd, signal }) {
    const { values, positionals } = parseCommandArgs('wait', argv, GATE_OPTIONS);
    const deploymentId = deploymentIdArgument('wait', onePositional('wait', 'DEPLOYMENT_ID', positionals));
    const settings = await gateSettings(values, cwd);
    const aws = await awsOptions(env, settings);
    const client = createCodeDeployClient(aws);
    const display = new GateDisplay(output);
    try {
      const { report } = await gateDeployment({
        client,
        deploymentId,
        region: resolveRegion(aws),
        signal,
        timeoutMs: settings.timeoutMs,
        onTimeout: settings.onTimeout ?? 'leave',
        onCancel: settings.onCancel ?? 'leave',
        cancelBudgetMs: settings.cancelBudgetMs,
        continueAfter: settings.continueAfter,
        verificationCwd: cwd,
        verificationEnv: env,
        masker: output.masker,
        pacing: settings.pacing,
        liveTargets: output.interactive,
        onEvent: (event) => display.handle(event),
      });
      display.stop();
      return await finishGate(report, settings.reports, output);
    } finally {
      display.stop();
      client.destroy();
    }
  },
};
