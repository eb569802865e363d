#!/usr/bin/env node
// @ts-check
// `pnpm release:dry`: builds the workspace, then every release artifact into dist-release/, publishing
// nothing. The release workflow runs the same script and uploads what it wrote.
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRelease } from './artifacts.mjs';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const outDir = resolve(root, process.argv[2] ?? 'dist-release');

execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' });
const release = await buildRelease({ root, outDir });
for (const { file, sha256 } of [...release.npm, ...release.assets]) {
  console.log(`${sha256.slice(0, 12)}  ${relative(root, file)}`);
}
console.log(`sums in ${relative(root, release.sums)}`);
