import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { RecordedExchange } from '../../src/recording/index.js';
import { checkExchange } from './exchange-check.js';
import { loadServiceModels } from './models.js';

/**
 * `pnpm --filter @codedeploy-gate/local conformance` (the last step of the root `pnpm test`): holds every
 * response the local server gave during the test run, recorded in each package's `.vitest/recordings/`
 * (CODEDEPLOY_GATE_LOCAL_RECORD), against the services' models. Exits 1 on any violation; an empty
 * recording (nothing started a local server, or no package recorded) is not a failure.
 */
const MAX_EXAMPLES_PER_PROBLEM = 3;

const workspace = resolve(import.meta.dirname, '../../../..');
const files = recordingFiles(workspace);
const models = loadServiceModels();
const problems = new Map<string, { count: number; examples: string[] }>();
const operations = new Set<string>();
let exchanges = 0;
let full = 0;
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as RecordedExchange | { recordingFull: true };
    if ('recordingFull' in parsed) {
      full += 1;
      continue;
    }
    exchanges += 1;
    const verdict = checkExchange(models, parsed);
    operations.add(verdict.operation);
    for (const violation of verdict.violations) {
      const key = `${verdict.operation} ${violation.path.replace(/\[\d+\]/g, '[]')}: ${violation.problem}`;
      const entry = problems.get(key) ?? { count: 0, examples: [] };
      entry.count += 1;
      if (entry.examples.length < MAX_EXAMPLES_PER_PROBLEM) {
        entry.examples.push(
          `${relative(workspace, file)}: ${parsed.method} ${parsed.path} -> ${parsed.status}`,
        );
      }
      problems.set(key, entry);
    }
  }
}

console.log(
  `conformance: ${exchanges} responses of ${operations.size} operations in ${files.length} recordings checked against aws-sdk v2's models`,
);
if (full > 0)
  console.log(
    `conformance: ${full} recording(s) reached their size limit; later responses were not recorded`,
  );
for (const [problem, { count, examples }] of [...problems].sort()) {
  console.log(`\n✗ ${problem} (${count}×)`);
  for (const example of examples) console.log(`    ${example}`);
}
if (problems.size > 0) {
  console.log(
    `\nconformance: ${problems.size} kind(s) of responses differ from the models (see packages/local/README.md#recording-and-conformance)`,
  );
  process.exitCode = 1;
}

/** `.vitest/recordings/*.jsonl` of every workspace package. */
function recordingFiles(root: string): string[] {
  const found: string[] = [];
  for (const group of ['packages', 'actions']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      const dir = join(groupDir, name, '.vitest', 'recordings');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) if (file.endsWith('.jsonl')) found.push(join(dir, file));
    }
  }
  return found.sort();
}
