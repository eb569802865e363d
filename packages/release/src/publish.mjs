#!/usr/bin/env node
// @ts-check
// `pnpm release:publish` (the release workflow's publish step, run by changesets/action after the
// "Version packages" pull request is merged): builds every artifact with `pnpm release:dry`, then
// publishes the npm tarballs from dist-release/ — the very bytes SHA256SUMS lists — skipping any
// version npm already has, so a re-run after a partial failure finishes the job. It prints
// `New tag: NAME@VERSION` per package published, the line changesets/action reads to set its
// `published` output (which the workflow's tag and GitHub release steps wait for).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NPM_PACKAGES } from './artifacts.mjs';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const outDir = resolve(root, 'dist-release');

execFileSync('node', [resolve(root, 'packages/release/src/release-dry.mjs'), outDir], { stdio: 'inherit' });

for (const dir of NPM_PACKAGES) {
  const { name, version } = JSON.parse(readFileSync(resolve(root, dir, 'package.json'), 'utf8'));
  const tarball = resolve(outDir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`${tarball} is missing: release:dry did not pack ${name}`);
  if (published(name, version)) {
    console.log(`${name}@${version} is on npm already`);
    continue;
  }
  execFileSync('npm', ['publish', tarball, '--access', 'public', '--provenance'], { stdio: 'inherit' });
  console.log(`New tag: ${name}@${version}`);
}

/**
 * @param {string} name
 * @param {string} version
 */
function published(name, version) {
  try {
    return (
      execFileSync('npm', ['view', `${name}@${version}`, 'version'], { encoding: 'utf8' }).trim() === version
    );
  } catch {
    return false; // E404: the package or this version is not on npm yet
  }
}
