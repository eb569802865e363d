import { main } from './main.js';

/**
 * Runs the CLI as the process: SIGINT/SIGTERM abort the running command (which then stops or cleans
 * up what it started), and the exit code is set, never forced. Used by `bin/codedeploy-gate.js` and
 * the Jenkins wrapper's bundle.
 */
export function runAsProcess(argv: string[]): void {
  // The AWS SDK warns on every Node 20 start that its releases after January 2027 need Node 22. That
  // is about future SDK releases, not this build, and would repeat in every CI log; the README states
  // the Node policy instead. Users can still opt in by setting the variable to anything else.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const controller = new AbortController();
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (first) {
        // Jenkins signals the whole process group and a wrapper may forward the same signal: a repeat
        // within a second is that one abort. A later or different signal means "now": skip clean-up.
        if (signal === first.signal && Date.now() - first.at < 1_000) return;
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      first = { signal, at: Date.now() };
      controller.abort(signal);
    });
  }
  main(argv, { signal: controller.signal }).then((code) => {
    const interrupted = first ? (first.signal === 'SIGINT' ? 130 : 143) : undefined;
    process.exitCode = interrupted !== undefined && code !== 0 ? interrupted : code;
  });
}
