import type { Command } from './context.js';
import { localCommand } from './local.js';
import { packageCommand } from './package.js';
import { pushCommand } from './push.js';
import { validateCommand } from './validate.js';

export type { Command, CommandContext } from './context.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, packageCommand, pushCommand, localCommand];
