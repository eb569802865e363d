/**
 * Every child a test starts carries this variable, set to the id of the `vitest run` that started it
 * (see global-setup.ts), so the run can find what it left behind even after the test worker that
 * started it is gone: `/proc/PID/environ` of a same-user process is readable.
 */
export const TEST_RUN_VARIABLE = 'CODEDEPLOY_GATE_TEST_RUN';

/** The running test run's marker as an environment entry; empty outside a run set up by global-setup.ts. */
export function testRunMarker(): Record<string, string> {
  const id = process.env[TEST_RUN_VARIABLE];
  return id ? { [TEST_RUN_VARIABLE]: id } : {};
}
