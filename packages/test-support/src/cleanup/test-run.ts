/**
 * Every child a test starts carries this variable, set to the id of the `vitest run` that started it
 * (see global-setup.ts), so the run can find what it left behind even after the test worker that
 * started it is gone: `/proc/PID/environ` of a same-user process is readable.
 */
export const TEST_RUN_VARIABLE = 'CODEDEPLOY_GATE_TEST_RUN';

/**
 * `env` with the running test run's marks: its marker, and its temporary folder as TMPDIR unless
 * `env` names one, so that what the child keeps in temporary folders (a `local serve` state dir, its
 * hooks' working folders) is the run's too. Unchanged outside a run set up by global-setup.ts.
 */
export function withTestRunMarks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const id = process.env[TEST_RUN_VARIABLE];
  if (!id) return env;
  const tmpdir = process.env.TMPDIR;
  return { ...(tmpdir ? { TMPDIR: tmpdir } : {}), ...env, [TEST_RUN_VARIABLE]: id };
}
