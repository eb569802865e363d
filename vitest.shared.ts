import { defineConfig } from 'vitest/config';

/** The one test configuration every package uses (each package's vitest.config.ts re-exports it). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The SDK's "Node 22 from 2027" notice is about its future releases; keep it out of test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // The JSON file feeds the repo-wide "N passed, N failed" line printed by scripts/test-summary.mjs.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
