// Bundles the CLI with ncc into dist/, so a Jenkins agent needs only Node and this folder:
// dist/codedeploy-gate.mjs (what the wrapper runs) starts index.js, which loads the chunks beside it
// on demand (a command and the AWS clients it uses; `--help` and `validate` load no AWS client). The
// local CodeDeploy (and its S3 emulator) stays out: the CLI loads it lazily and says so when it is
// missing. See scripts/ncc-bundle.mjs.
import { fileURLToPath } from 'node:url';
import { nccBundle } from '../../scripts/ncc-bundle.mjs';

nccBundle({
  packageDir: fileURLToPath(new URL('.', import.meta.url)),
  entry: 'src/entry.js',
  extraFiles: {
    'codedeploy-gate.mjs': [
      '// The CLI bundle the wrapper runs: index.js and the chunks it loads on demand.',
      "import './index.js';",
      '',
    ].join('\n'),
  },
});
