import { type ComputePlatform, formatProblems } from '@codedeploy-gate/core/appspec';
import { ExitCode } from '@codedeploy-gate/core/errors';
import { validatePath } from '@codedeploy-gate/core/validation';
import { choice, onePositional, parseCommandArgs } from '../cli-args.js';
import type { Command } from './context.js';

const PLATFORMS: readonly ComputePlatform[] = ['server', 'lambda', 'ecs'];

export const validateCommand: Command = {
  usage: `Usage: codedeploy-gate validate PATH [--platform server|lambda|ecs] [--exclude PATTERN]... [--json]

PATH is a revision folder (appspec.yml, appspec.yaml or appspec.json at its root), a zip/tar/tgz
bundle, or a single appspec file in YAML or JSON whatever its name. For a folder or bundle, every
files.source and hook location must exist in it: for a folder, after the default secret-safe ignore
list (see \`package --help\`), .codedeployignore and --exclude, and a path one of them leaves out is an
error naming the rule. A bundle is refused as \`package\` would refuse its tree: a symlink leading out
of it, a name it holds twice, an entry that would land outside the deployment folder. A hook timeout
that is not a finite number of seconds up to 3600 is an error. A Lambda or ECS AppSpec written by hand
is checked with --platform lambda|ecs; \`deploy --lambda-function ...\` and \`deploy --ecs-service ...\`
write and check theirs themselves.

Options:
  --platform P       server (EC2/on-premises), lambda or ecs; detected from Resources when omitted
  --exclude PATTERN  leave matching paths out, gitignore syntax (repeatable; folders only)
  --json             print the result as JSON on stdout
  --debug            show stack traces

Exit status: 0 valid (warnings allowed), 2 invalid or unreadable.`,

  async run({ argv, output }) {
    const { values, positionals } = parseCommandArgs('validate', argv, {
      platform: { type: 'string' },
      exclude: { type: 'string', multiple: true },
    });
    const path = onePositional('validate', 'PATH', positionals);
    const platform = choice('--platform', values.platform, PLATFORMS);
    // The problems are all this command prints: no plain copy of the appspec is built.
    const validation = await validatePath(path, {
      plain: false,
      ...(platform ? { platform } : {}),
      ...(values.exclude ? { exclude: values.exclude } : {}),
    });
    if (output.json) {
      output.result({
        valid: validation.valid,
        file: validation.file,
        source: validation.source,
        platform: validation.platform,
        errors: validation.problems.filter((p) => p.severity === 'error').length,
        warnings: validation.problems.filter((p) => p.severity === 'warning').length,
        problems: validation.problems,
      });
    } else if (validation.problems.length > 0) {
      output.line(formatProblems(validation));
    }
    if (!output.json && validation.valid) {
      output.line(output.green(`✓ ${validation.file} is valid (${validation.platform})`));
    }
    return validation.valid ? ExitCode.Success : ExitCode.InvalidInput;
  },
};
