// Bundles the worker into dist/ (committed): index.js and the chunks it loads on demand, run by
// bin/codedeploy-gate-codepipeline.js or `node dist/index.js`. See scripts/ncc-bundle.mjs.
import { fileURLToPath } from 'node:url';
import { nccBundle } from '../../scripts/ncc-bundle.mjs';

nccBundle({ packageDir: fileURLToPath(new URL('.', import.meta.url)), entry: 'lib/index.js' });
