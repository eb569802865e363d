import type { Output } from '../terminal/output.js';

/** What every command gets from main: its arguments, where to write, and the cancellation signal. */
export interface CommandContext {
  argv: string[];
  output: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
}

/** A command's module: its `--help` text and what it does. */
export interface Command {
  usage: string;
  run(context: CommandContext): Promise<number>;
}

/**
 * A line of the command table: what `--help` lists without loading anything, and how to load the
 * command when it runs (a dynamic import, so each command pays only for the modules it uses).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}
