// vitest `setupFiles` entry of every package (see vitest.shared.ts at the root): after each test,
// and after each file, stops what was started with startProcess or closeAtEnd and is still running,
// whether the test passed, failed or timed out (vitest runs afterEach hooks in all three cases, while
// the rest of a timed-out test's body never runs). Registered before the file's own hooks, these run
// after them: a test's own clean-up goes first.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { enterTest, stopTracked } from './tracked.js';

beforeEach(() => {
  enterTest();
});

afterEach(async (context) => {
  report(await stopTracked('test'), `after "${context.task.name}"`);
});

afterAll(async () => {
  report(await stopTracked('file'), 'after the file');
});

function report(leftOver: string[], when: string): void {
  if (leftOver.length === 0) return;
  console.error(
    [`stopped ${when} (still running):`, ...leftOver.map((label) => `  ${label.slice(0, 300)}`)].join('\n'),
  );
}
