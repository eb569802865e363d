import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyState, type LocalState } from './records.js';
import { reviveState } from './revive.js';

const STATE_FILE = 'codedeploy-state.json';

/**
 * The local CodeDeploy's state: plain SDK-shaped records in memory, written to `<stateDir>/` after
 * every change when a state dir is given (atomically: temp file + rename), read back on start.
 * Dates are stored as `{"$date": epochMs}` so they come back as Date objects.
 */
export class Store {
  readonly state: LocalState;

  constructor(readonly stateDir?: string) {
    this.state = stateDir ? load(stateDir) : emptyState();
  }

  /** Applies a change and persists it. Handlers mutate `state` only through this. */
  update<T>(change: (state: LocalState) => T): T {
    const result = change(this.state);
    this.save();
    return result;
  }

  /** A new unique number (for deployment ids and group ids), persisted with the state. */
  next(): number {
    return this.update((state) => {
      state.sequence += 1;
      return state.sequence;
    });
  }

  save(): void {
    if (!this.stateDir) return;
    mkdirSync(this.stateDir, { recursive: true });
    const file = join(this.stateDir, STATE_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state, replacer));
    renameSync(temp, file);
  }
}

function load(stateDir: string): LocalState {
  try {
    return reviveState(JSON.parse(readFileSync(join(stateDir, STATE_FILE), 'utf8'), reviver));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.getTime() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  // Only `{"$date": number}` is a date: a table holding one record named `$date` stays a table.
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.keys(value).length === 1 &&
    typeof (value as { $date?: unknown }).$date === 'number'
  ) {
    return new Date((value as { $date: number }).$date);
  }
  return value;
}
