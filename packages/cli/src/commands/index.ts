import type { Command } from './context.js';
import { deployCommand } from './deploy.js';
import { localCommand } from './local.js';
import { packageCommand } from './package.js';
import { planCommand } from './plan.js';
import { pushCommand } from './push.js';
import { statusCommand } from './status.js';
import { stopCommand } from './stop.js';
import { validateCommand } from './validate.js';
import { waitCommand } from './wait.js';

export type { Command, CommandContext } from './context.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  packageCommand,
  pushCommand,
  planCommand,
  deployCommand,
  waitCommand,
  statusCommand,
  stopCommand,
  localCommand,
];
