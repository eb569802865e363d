// Bundles the action with ncc into dist/, which is committed (GitHub runs an action from the
// repository as it is): index.js holds both steps' code; post.js, the post step's entry, runs the same
// bundle in its post phase; package.json makes Node read .js as ES modules; licenses.txt lists the
// licenses of everything bundled.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
const out = mkdtempSync(join(tmpdir(), 'codedeploy-gate-action-'));
try {
  execFileSync(
    process.execPath,
    [
      join(here, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      join(here, 'lib/index.js'),
      '--out',
      out,
      '--minify',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  const emitted = readdirSync(out).sort();
  const expected = ['index.js', 'licenses.txt', 'package.json'];
  if (emitted.join() !== expected.join()) {
    // A lazily loaded chunk would be a file the runner must find beside index.js: keep one bundle.
    throw new Error(`ncc emitted ${emitted.join(', ')}; expected ${expected.join(', ')}`);
  }
  rmSync(dist, { recursive: true, force: true });
  renameSync(out, dist);
  chmodSync(dist, 0o755);
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
  writeFileSync(
    join(dist, 'post.js'),
    [
      "// action.yml's post step: the same bundle as the main step, told to run its post phase.",
      "globalThis.codedeployGatePhase = 'post';",
      "await import('./index.js');",
      '',
    ].join('\n'),
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
