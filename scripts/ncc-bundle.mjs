// The front ends' bundler: @vercel/ncc over a package's compiled entry, into a committed dist/.
// Shared by actions/github and actions/codepipeline (each has @vercel/ncc and esbuild as devDependencies).
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
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = /^\d+\.index\.js$/;

/**
 * Bundles `entry` (relative to `packageDir`) into `packageDir/outDir` (default `dist`): `index.js`, the chunks it imports
 * on demand (`N.index.js`, minified here: ncc minifies index.js only), `package.json` (ES modules) and
 * `licenses.txt`; then `extraFiles` ({ name: content }). Anything else ncc emits (native addons,
 * assets) is refused: dist/ must run with nothing but Node.
 */
export function nccBundle({ packageDir, entry, outDir = 'dist', extraFiles = {} }) {
  const require = createRequire(join(packageDir, 'package.json'));
  const { transformSync } = require('esbuild');
  const dist = join(packageDir, outDir);
  const out = mkdtempSync(join(tmpdir(), 'codedeploy-gate-ncc-'));
  try {
    execFileSync(
      process.execPath,
      [
        require.resolve('@vercel/ncc/dist/ncc/cli.js'),
        'build',
        join(packageDir, entry),
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
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8'));
    rmSync(join(out, 'stats.json'));
    writeFileSync(join(out, 'licenses.txt'), licenses(stats, packageDir));
    const emitted = readdirSync(out).sort();
    const unexpected = emitted.filter(
      (name) => !['index.js', 'licenses.txt', 'package.json'].includes(name) && !CHUNK.test(name),
    );
    if (unexpected.length > 0 || !emitted.includes('index.js')) {
      throw new Error(
        `ncc emitted ${emitted.join(', ')}; expected index.js, its chunks, licenses.txt, package.json`,
      );
    }
    for (const chunk of emitted.filter((name) => CHUNK.test(name))) {
      const file = join(out, chunk);
      const { code } = transformSync(readFileSync(file, 'utf8'), {
        format: 'esm',
        minify: true,
        target: 'node20',
        legalComments: 'none',
      });
      writeFileSync(file, code);
    }
    writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
    for (const [name, content] of Object.entries(extraFiles)) writeFileSync(join(out, name), content);
    rmSync(dist, { recursive: true, force: true });
    renameSync(out, dist);
    chmodSync(dist, 0o755);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The license of every package with code in the bundle or its chunks, from webpack's stats (ncc's own
 * --license lists one chunk only). Sorted, so the file is as reproducible as the bundle.
 */
function licenses(stats, packageDir) {
  const packages = new Map();
  const visit = (modules, parentChunks) => {
    for (const module of modules) {
      const chunks = module.chunks?.length ? module.chunks : parentChunks;
      if (module.modules) visit(module.modules, chunks);
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(module.name ?? '');
      if (chunks.length > 0 && match) packages.set(match[1], join(packageDir, match[1]));
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
  return [...new Set(entries)].sort().join('\n');
}
