// vitest `globalSetup` of every package (see vitest.shared.ts at the root): turns on the local
// CodeDeploy's response recording for the run. It runs in vitest's main process; the workers, and the
// servers and children the tests start, inherit the variable.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

/** packages/local's `RECORD_VARIABLE` (test-support does not depend on packages/local). */
const RECORD_VARIABLE = 'CODEDEPLOY_GATE_LOCAL_RECORD';

/**
 * Records into `.vitest/recordings/` of the package under test (turbo keeps it with the test's
 * outputs, so a cached test run restores its recording), emptied first so it holds this run only.
 * A recording folder set by the caller is left as it is.
 */
export default function setup(): void {
  if (process.env[RECORD_VARIABLE]) return;
  const folder = resolve('.vitest', 'recordings');
  rmSync(folder, { recursive: true, force: true });
  process.env[RECORD_VARIABLE] = folder;
}
