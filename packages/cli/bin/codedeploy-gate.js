#!/usr/bin/env node
// Thin launcher kept outside dist/ so the bin link exists before the first build. It owns the process:
// signals become an abort of the running command, and the exit code is set, never forced.
import { main } from '../dist/main.js';

// The AWS SDK warns on every Node 20 start that its releases after January 2027 need Node 22. That is
// about future SDK releases, not this build, and would repeat in every CI log; the README states the
// Node policy instead. Users can still opt in by setting the variable to anything else.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
let signalled;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // A second signal means "now": skip the clean-up.
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    signalled = signal;
    controller.abort(signal);
  });
}

main(process.argv.slice(2), { signal: controller.signal }).then((code) => {
  process.exitCode = signalled && code !== 0 ? (signalled === 'SIGINT' ? 130 : 143) : code;
});
