// @ts-check
// What a release ships, built from the workspace's build output (run `pnpm build` first): the npm
// tarballs, the Jenkins wrapper and the CodePipeline worker as tarballs, and SHA256SUMS over them all.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { createBundle } from '@codedeploy-gate/core';

const run = promisify(execFile);

/** The packages published to npm, dependencies first. test-support and the front ends stay private. */
export const NPM_PACKAGES = ['packages/core', 'packages/cli', 'packages/s3-emulator', 'packages/local'];

/**
 * The two front ends shipped as release assets: each is a folder a host runs with nothing but Node
 * (their dist/ bundles carry every dependency), so the tarball is that folder's files, as named here.
 */
export const FOLDER_ASSETS = [
  {
    dir: 'actions/jenkins',
    name: 'codedeploy-gate-jenkins',
    files: ['bin/codedeploy-gate-jenkins', 'dist', 'README.md', 'CHANGELOG.md'],
    // A package.json naming the folder's package and version, as in the repository's folder (the
    // bundled CLI no longer needs it: its version is compiled in).
    manifest: true,
  },
  {
    dir: 'actions/codepipeline',
    name: 'codedeploy-gate-codepipeline',
    files: ['bin/codedeploy-gate-codepipeline.js', 'dist', 'action-type.json', 'README.md', 'CHANGELOG.md'],
    // The bin is an ES module: the unpacked folder needs a package.json that says so (and names the bin).
    manifest: true,
  },
];

/**
 * @typedef {{ file: string, sha256: string }} Artifact
 * @typedef {{ npm: Artifact[], assets: Artifact[], sums: string }} Release
 */

/**
 * Writes every artifact into `outDir` (emptied first) and returns them with their SHA-256. The npm
 * tarballs come from `pnpm pack`, which turns `workspace:` ranges into the packages' versions.
 * @param {{ root: string, outDir: string }} options
 * @returns {Promise<Release>}
 */
export async function buildRelease({ root, outDir }) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const npm = [];
  for (const dir of NPM_PACKAGES) npm.push(await artifact(await packNpm(join(root, dir), outDir)));
  const assets = [];
  for (const asset of FOLDER_ASSETS) assets.push(await artifact(await packFolder(root, asset, outDir)));
  const sums = join(outDir, 'SHA256SUMS');
  // The format `sha256sum --check` reads: HASH, two spaces, file name.
  const lines = [...npm, ...assets].map(({ file, sha256 }) => `${sha256}  ${basename(file)}\n`);
  await writeFile(sums, lines.join(''));
  return { npm, assets, sums };
}

/**
 * @param {string} packageDir
 * @param {string} outDir
 * @returns {Promise<string>} the tarball's path
 */
async function packNpm(packageDir, outDir) {
  const scratch = await mkdtemp(join(tmpdir(), 'codedeploy-gate-pack-'));
  try {
    const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', scratch], {
      cwd: packageDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const packed = JSON.parse(stdout).filename;
    // pnpm pack orders entries as its directory walk finishes them, which varies with load (two packs
    // of the same files differed on a busy machine): the tarball is rewritten with core's writer,
    // entries sorted, so the same build gives the same bytes and SHA256SUMS can be checked.
    const stage = join(scratch, 'stage');
    await mkdir(stage);
    await run('tar', ['-xzf', packed, '-C', stage]);
    const file = join(outDir, basename(packed));
    await createBundle(stage, file, { format: 'tgz', level: 9, ignoreFile: false });
    return file;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Stages the listed files under NAME-VERSION/ and writes NAME-VERSION.tgz with core's deterministic
 * bundle writer (sorted entries, fixed timestamps and owners): the same build gives the same bytes.
 * @param {string} root
 * @param {{ dir: string, name: string, files: string[], manifest?: boolean }} asset
 * @param {string} outDir
 */
async function packFolder(root, asset, outDir) {
  const source = join(root, asset.dir);
  const pkg = JSON.parse(await readFile(join(source, 'package.json'), 'utf8'));
  const top = `${asset.name}-${pkg.version}`;
  const stage = await mkdtemp(join(tmpdir(), 'codedeploy-gate-release-'));
  try {
    for (const file of [...asset.files, '../../LICENSE']) {
      const from = join(source, file);
      await stat(from).catch(() => {
        throw new Error(`${from} is missing: run \`pnpm build\` before packing the release`);
      });
      await cp(from, join(stage, top, basename(file) === 'LICENSE' ? 'LICENSE' : file), { recursive: true });
    }
    if (asset.manifest) {
      const manifest = {
        name: asset.name,
        version: pkg.version,
        private: true,
        license: pkg.license,
        type: 'module',
        engines: pkg.engines,
        bin: pkg.bin,
      };
      await writeFile(join(stage, top, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    const file = join(outDir, `${top}.tgz`);
    await createBundle(stage, file, { format: 'tgz', level: 9, ignoreFile: false });
    return file;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * @param {string} file
 * @returns {Promise<Artifact>}
 */
async function artifact(file) {
  return {
    file,
    sha256: createHash('sha256')
      .update(await readFile(file))
      .digest('hex'),
  };
}
