// Bundles the action with ncc into dist/, which is committed (GitHub runs an action from the
// repository as it is): index.js holds both steps' code, with chunks it loads on demand; post.js, the
// post step's entry, runs the same bundle in its post phase; package.json makes Node read .js as ES
// modules; licenses.txt lists the licenses of everything bundled.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

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
      '--stats-out',
      join(out, 'stats.json'),
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  // Besides the bundle: chunks (N.index.js) that index.js imports on demand — the S3 client and the
  // packaging code, compiled only when a revision needs them — and nothing else (no native addons,
  // no assets a runner would have to find).
  const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
  rmSync(join(out, 'stats.json'));
  writeFileSync(join(out, 'licenses.txt'), licenses(stats));
  const emitted = readdirSync(out).sort();
  const unexpected = emitted.filter(
    (name) => !['index.js', 'licenses.txt', 'package.json'].includes(name) && !/^\d+\.index\.js$/.test(name),
  );
  if (unexpected.length > 0 || !emitted.includes('index.js')) {
    throw new Error(
      `ncc emitted ${emitted.join(', ')}; expected index.js, its chunks, licenses.txt, package.json`,
    );
  }
  // ncc minifies index.js only; its chunks would otherwise ship as written (a third of dist/).
  for (const chunk of emitted.filter((name) => /^\d+\.index\.js$/.test(name))) {
    const file = join(out, chunk);
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      format: 'esm',
      minify: true,
      target: 'node20',
      legalComments: 'none',
    });
    writeFileSync(file, code);
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

/**
 * The license of every package with code in the bundle or its chunks, from webpack's stats (ncc's own
 * --license lists one chunk only). Sorted, so the file is as reproducible as the bundle.
 */
function licenses(stats) {
  const packages = new Map();
  const visit = (modules, parentChunks) => {
    for (const module of modules) {
      const chunks = module.chunks?.length ? module.chunks : parentChunks;
      if (module.modules) visit(module.modules, chunks);
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(module.name ?? '');
      if (chunks.length > 0 && match) packages.set(match[1], join(here, match[1]));
    }
  };
  visit(stats.modules, []);
  const entries = [...packages.values()].map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE'].find((name) =>
      existsSync(join(dir, name)),
    );
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)';
    return `${manifest.name}@${manifest.version}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n`;
  });
  return `${[...new Set(entries)].sort().join('\n')}`;
}
