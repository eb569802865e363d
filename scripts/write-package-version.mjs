// Writes src/package-version.ts of the package in the current directory from its package.json, before
// its `tsc`: bundles (ncc) carry no package.json to read at run time, so `--version` must be compiled
// in. Rewritten only when the version changed, so a build leaves the tree as it found it.
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const file = 'src/package-version.ts';
const text = [
  '// Written by scripts/write-package-version.mjs from package.json on every build: do not edit.',
  `export const PACKAGE_VERSION = '${version}';`,
  '',
].join('\n');
let current;
try {
  current = readFileSync(file, 'utf8');
} catch {
  current = undefined;
}
if (current !== text) writeFileSync(file, text);
