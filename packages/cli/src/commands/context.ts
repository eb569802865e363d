import type { Output } from '../terminal/output.js';

/** What every command gets from main: its arguments, where to write, and the cancellation signal. */
export interface CommandContext {
  argv: string[];
  output: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(context: CommandContext): Promise<number>;
}
