import type { ChildProcess } from 'node:child_process';
import { findLeftovers, killLeftovers } from './leftovers.js';
import { groupExists, groupRuns, stopProcessGroup } from './process-group.js';
import { TEST_RUN_VARIABLE } from './test-run.js';

/** Something a test started that must not outlive it: processes, or a server to close. */
interface Tracked {
  /** What of it still runs, as command lines (a server closed at the end is no leak: none). */
  leftOver(): string[];
  stop(): Promise<void>;
}

interface Registry {
  /** True from the setup file's beforeEach to its afterEach: what starts then belongs to the test. */
  inTest: boolean;
  test: Set<Tracked>;
  file: Set<Tracked>;
}

// On globalThis, not in a module variable: the setup file and the test import test-support through
// different paths (source and dist), and so get different module instances that must share one list.
const KEY = Symbol.for('codedeploy-gate.test-support.tracked');

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  holder[KEY] ??= { inTest: false, test: new Set(), file: new Set() };
  return holder[KEY];
}

/** How long a left-over process group gets to end on SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 3_000;

function track(item: Tracked): Tracked {
  const { inTest, test, file } = registry();
  (inTest ? test : file).add(item);
  return item;
}

function untrack(item: Tracked): void {
  const { test, file } = registry();
  test.delete(item);
  file.delete(item);
}

/**
 * Keeps a started process group to be stopped at the end of the running test (or, when started
 * outside a test, in `beforeAll`, at the end of the file) if it is still running then. Returns the
 * function that stops it now.
 */
export function trackProcessGroup(child: ChildProcess, label: string): () => Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  const item = track({
    leftOver: () => (running() || (child.pid !== undefined && groupRuns(child.pid)) ? [label] : []),
    stop: () => stopProcessGroup(child, STOP_GRACE_MS),
  });
  // A leader that exited with its group empty has nothing left to stop (the cheap check: this runs
  // for every child, and a group left with zombies only is found out at the end of the test).
  child.once('exit', () => {
    if (child.pid === undefined || !groupExists(child.pid)) untrack(item);
  });
  child.once('error', () => untrack(item));
  return async () => {
    await item.stop();
    untrack(item);
  };
}

/** A server, or anything else a test closes: `close()` must tolerate being called twice. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Closes `resource` at the end of the running test (or of the file, when opened in `beforeAll`),
 * whether the test passed, failed or timed out; closing it earlier in the test is fine. Returns it.
 */
export function closeAtEnd<T extends Closable>(resource: T): T {
  track({ leftOver: () => [], stop: () => resource.close() });
  return resource;
}

let marks = 0;

/**
 * `env` (default this process's) marked for the running test alone, for children a library starts
 * where startProcess cannot be used: whatever still carries the mark when the test ends (or the file,
 * outside a test) is killed then, with its group when it leads one.
 */
export function markedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  marks += 1;
  const id = `${process.env[TEST_RUN_VARIABLE] ?? 'outside-a-run'}.${process.pid}-${marks}`;
  const left = () => findLeftovers({ id });
  track({
    leftOver: () => left().map((leftover) => leftover.command),
    stop: async () => killLeftovers(left()),
  });
  return { ...env, [TEST_RUN_VARIABLE]: id };
}

/** The setup file marks the start and end of each test with these. */
export function enterTest(): void {
  registry().inTest = true;
}

/**
 * Stops what the test (`'test'`) or the whole file (`'file'`) started and did not stop itself.
 * Returns the command lines of the processes that were still running: leaks the test should fix.
 */
export async function stopTracked(scope: 'test' | 'file'): Promise<string[]> {
  const state = registry();
  const items = [...state.test, ...(scope === 'file' ? state.file : [])];
  state.test.clear();
  if (scope === 'file') state.file.clear();
  if (scope === 'test') state.inTest = false;
  const leftOver = items.flatMap((item) => item.leftOver());
  // Newest first: a process may depend on a server started before it, never the other way round.
  const errors: unknown[] = [];
  for (const item of items.reverse()) await item.stop().catch((error: unknown) => errors.push(error));
  if (errors.length > 0) throw new AggregateError(errors, `stopping what the ${scope} started failed`);
  return leftOver;
}
