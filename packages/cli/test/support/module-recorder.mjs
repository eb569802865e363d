// Preloaded with `--import` (through NODE_OPTIONS) by tests that check what a command loads: every
// module the process resolves, ES modules through a resolve hook and CommonJS through the require
// cache at exit, is appended to the file named by CODEDEPLOY_GATE_MODULE_LOG, one URL or path a line.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.CODEDEPLOY_GATE_MODULE_LOG;
if (log) {
  register('./module-recorder-hooks.mjs', import.meta.url, { data: { log } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const loaded = Object.keys(require.cache);
    if (loaded.length > 0) appendFileSync(log, `${loaded.join('\n')}\n`);
  });
}
