// Bundles the compiled CLI (dist/run.js) with ncc into dist/bundle/, which bin/codedeploy-gate.js runs:
// a command and the AWS clients it uses stay chunks loaded on demand, but each is one file instead of
// the ~85 files of the CodeDeploy client and credential chain, so `status` and the first request of
// `deploy` start in about half the time (issue 18, bench/README.md "CLI start-up"). The local CodeDeploy
// stays out, loaded from node_modules when `local` runs. See scripts/ncc-bundle.mjs.
import { fileURLToPath } from 'node:url';
import { nccBundle } from '../../scripts/ncc-bundle.mjs';

nccBundle({
  packageDir: fileURLToPath(new URL('.', import.meta.url)),
  entry: 'dist/run.js',
  outDir: 'dist/bundle',
});
