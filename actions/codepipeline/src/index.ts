import { main } from './cli.js';

// The worker runs for months under a supervisor: SIGTERM/SIGINT mean "finish what you hold, then exit".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort(signal));
process.exitCode = await main(process.argv.slice(2), process.env, stop.signal);
