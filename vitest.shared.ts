import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const cleanup = (file: string) =>
  fileURLToPath(new URL(`./packages/test-support/src/cleanup/${file}`, import.meta.url));

const recording = (file: string) =>
  fileURLToPath(new URL(`./packages/test-support/src/recording/${file}`, import.meta.url));

/** The one test configuration every package uses (each package's vitest.config.ts re-exports it). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Nothing a test starts outlives it: processes from startProcess and servers passed to closeAtEnd
    // are stopped after each test (and file) even when it fails or times out; whatever still carries
    // the run's mark at the end is killed, listed, and fails the run.
    setupFiles: [cleanup('vitest-setup.ts')],
    // Every response of the local CodeDeploy goes to `.vitest/recordings/` for the conformance check
    // (packages/local/conformance) that `pnpm test` runs after all tests.
    globalSetup: [cleanup('global-setup.ts'), recording('global-setup.ts')],
    // The SDK's "Node 22 from 2027" notice is about its future releases; keep it out of test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // The JSON file feeds the repo-wide "N passed, N failed" line printed by scripts/test-summary.mjs.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
