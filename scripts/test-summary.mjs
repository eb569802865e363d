// Prints one closing line for the whole monorepo's test run ("N passed, N failed, N skipped"), summed
// from each package's vitest JSON report, so CI logs end with a single verdict.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'actions'].filter((dir) => existsSync(dir));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const pkg = join(root, name);
    if (!existsSync(join(pkg, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    if (!manifest.scripts?.test) continue;
    const report = join(pkg, '.vitest', 'results.json');
    if (!existsSync(report)) {
      missing.push(pkg);
      continue;
    }
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
  }
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || missing.length > 0 ? 1 : 0;
