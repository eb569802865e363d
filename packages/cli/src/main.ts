import type { AppspecValidation } from '@codedeploy-gate/core/appspec';
import { CancelledError, ExitCode, type GateError, isGateError } from '@codedeploy-gate/core/errors';
import { COMMANDS } from './commands/index.js';
import { Output, type OutputStreams } from './terminal/output.js';
import { cliVersion } from './version.js';

const HELP = `codedeploy-gate — package, push and gate AWS CodeDeploy deployments to EC2/on-premises,
Lambda and ECS

Usage: codedeploy-gate <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`codedeploy-gate <command> --help\` for a command's options.

Global options: --json (machine-readable result on stdout), --debug (stack traces), --version.

Exit status: 0 success, 1 deployment did not succeed, 2 invalid input or configuration (nothing
created), 3 gate timed out, 4 AWS or network failure, 130/143 interrupted by SIGINT/SIGTERM.`;

export interface MainOptions extends Partial<OutputStreams> {
  cwd?: string;
  /** Cancels the running command; the process entry point wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
}

/** Runs one CLI invocation and returns its exit code; never throws and never calls process.exit. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const streams: OutputStreams = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
  };
  const json = argv.includes('--json');
  const debug = argv.includes('--debug') || streams.env.CODEDEPLOY_GATE_DEBUG === '1';
  const output = new Output(streams, { json });
  const [name, ...rest] = argv;

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(`${HELP}\n`);
    return name === undefined ? ExitCode.InvalidInput : ExitCode.Success;
  }
  if (name === '--version' || name === '-v') {
    streams.stdout.write(`${cliVersion()}\n`);
    return ExitCode.Success;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    output.diagnostic(`error: unknown command "${name}"`);
    output.diagnostic(`hint: one of ${COMMANDS.map((c) => c.name).join(', ')}; see codedeploy-gate --help`);
    return ExitCode.InvalidInput;
  }
  const signal = options.signal ?? new AbortController().signal;
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.stdout.write(`${command.usage}\n`);
      return ExitCode.Success;
    }
    return await command.run({
      argv: rest,
      output,
      env: streams.env,
      cwd: options.cwd ?? process.cwd(),
      signal,
    });
  } catch (error) {
    return await reportFailure(output, cancelled(error, signal), debug);
  }
}

/** An abort surfaces from deep inside as AbortError; report it as the cancellation it was. */
function cancelled(error: unknown, signal: AbortSignal): unknown {
  if (!signal.aborted || isGateError(error)) return error;
  const reason = signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
  return new CancelledError(`cancelled by ${reason}; nothing was left half-done`, reason, { cause: error });
}

async function reportFailure(output: Output, error: unknown, debug: boolean): Promise<number> {
  if (!isGateError(error)) {
    output.diagnostic(output.red(`error: unexpected failure: ${(error as Error)?.message ?? String(error)}`));
    output.diagnostic(
      debug
        ? String((error as Error)?.stack)
        : 'hint: run again with --debug for the stack trace, and report it',
    );
    if (output.json)
      output.result({
        error: { name: 'InternalError', message: String((error as Error)?.message ?? error), exitCode: 1 },
      });
    return ExitCode.DeploymentFailed;
  }
  const gateError: GateError = error;
  const validation = await revisionProblems(gateError);
  if (validation && !output.json) {
    const { formatProblems } = await import('@codedeploy-gate/core/appspec');
    output.diagnostic(formatProblems(validation));
  }
  output.diagnostic(output.red(`error: ${gateError.message}`));
  if (gateError.hint) output.diagnostic(`hint: ${gateError.hint}`);
  if (debug && gateError.stack) output.diagnostic(gateError.stack);
  if (output.json) {
    output.result({
      error: {
        name: gateError.name,
        message: gateError.message,
        hint: gateError.hint,
        exitCode: gateError.exitCode,
        ...(validation ? { problems: validation.problems } : {}),
      },
    });
  }
  return gateError.exitCode;
}

/** The appspec problems an invalid revision carries; the validation module loads for that case only. */
async function revisionProblems(error: GateError): Promise<AppspecValidation | undefined> {
  if (error.exitCode !== ExitCode.InvalidInput) return undefined;
  const { RevisionInvalidError } = await import('@codedeploy-gate/core/validation');
  return error instanceof RevisionInvalidError ? error.validation : undefined;
}
