// The CLI as a process: what bin/codedeploy-gate.js runs, either compiled (dist/run.js) or bundled
// with everything it imports (dist/bundle/index.js, built from this file by build-bundle.mjs).
import { runAsProcess } from './process.js';

runAsProcess(process.argv.slice(2));
