import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InvalidInputError } from '@codedeploy-gate/core/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export interface ParsedArgs<T extends OptionSpec> {
  values: ReturnType<
    typeof parseArgs<{ options: T & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>
  >['values'];
  positionals: string[];
}

/** node:util parseArgs, with its errors turned into exit-2 errors that point at the command's help. */
export function parseCommandArgs<T extends OptionSpec>(
  command: string,
  argv: string[],
  options: T,
): ParsedArgs<T> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, ...COMMON_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals } as ParsedArgs<T>;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new InvalidInputError(`${command}: ${message}`, {
      hint: `Run \`codedeploy-gate ${command} --help\` for the options.`,
    });
  }
}

/** Exactly one positional argument, named in the error when it is missing or repeated. */
export function onePositional(command: string, name: string, positionals: string[]): string {
  const [first, ...rest] = positionals;
  if (first === undefined || rest.length > 0) {
    throw new InvalidInputError(
      first === undefined
        ? `${command}: missing ${name}`
        : `${command}: expected one ${name}, got ${positionals.length}`,
      { hint: `Usage: codedeploy-gate ${command} ${name} [options]; see --help.` },
    );
  }
  return first;
}

/** A value from a closed set, with the choices in the error. */
export function choice<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InvalidInputError(`${flag} must be one of ${choices.join(', ')}, not "${value}"`, {
    hint: `Pass ${flag} ${choices[0]}.`,
  });
}

/** A required string option. */
export function required(command: string, flag: string, value: string | undefined): string {
  if (value !== undefined && value.trim() !== '') return value;
  throw new InvalidInputError(`${command}: ${flag} is required`, {
    hint: `See codedeploy-gate ${command} --help.`,
  });
}
