// Bundles the CLI with ncc into one file, dist/codedeploy-gate.mjs, so a Jenkins agent needs only Node
// and this folder. The local CodeDeploy (and its S3 emulator) stays out: the CLI imports it at run time
// only (`webpackIgnore`), and says to install @codedeploy-gate/local when it is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'codedeploy-gate-jenkins-'));
try {
  execFileSync(
    process.execPath,
    [
      join(here, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      join(here, 'src/entry.mjs'),
      '--out',
      out,
      '--minify',
      '--no-source-map-register',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  const emitted = readdirSync(out).filter((name) => name !== 'package.json');
  if (emitted.length !== 1 || emitted[0] !== 'index.mjs') {
    throw new Error(`ncc emitted more than the bundle: ${emitted.join(', ')}; the wrapper ships one file`);
  }
  renameSync(join(out, 'index.mjs'), join(here, 'dist/codedeploy-gate.mjs'));
} finally {
  rmSync(out, { recursive: true, force: true });
}
