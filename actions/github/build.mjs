// Bundles the action into dist/, which is committed (GitHub runs an action from the repository as it
// is): index.js holds both steps' code, with chunks it loads on demand; post.js, the post step's entry,
// runs the same bundle in its post phase. See scripts/ncc-bundle.mjs.
import { fileURLToPath } from 'node:url';
import { nccBundle } from '../../scripts/ncc-bundle.mjs';

nccBundle({
  packageDir: fileURLToPath(new URL('.', import.meta.url)),
  entry: 'lib/index.js',
  extraFiles: {
    'post.js': [
      "// action.yml's post step: the same bundle as the main step, told to run its post phase.",
      "globalThis.codedeployGatePhase = 'post';",
      "await import('./index.js');",
      '',
    ].join('\n'),
  },
});
