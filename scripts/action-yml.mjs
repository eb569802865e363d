// Writes the repository's root action.yml from actions/github/action.yml, the one source of the
// action's inputs and outputs. GitHub Marketplace lists only a root action.yml, and `uses: OWNER/REPO@v1`
// runs it, so the root copy differs from its source only in where the bundle is: `runs.main` and
// `runs.post` point into actions/github/dist/. `--check` writes nothing and exits 1 when the root file
// is not what this script would write (edit actions/github/action.yml, then run it without flags).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = 'actions/github/action.yml';
const HEADER = `# Generated from ${SOURCE} by scripts/action-yml.mjs: edit that file, then run
# \`node scripts/action-yml.mjs\`. Only runs.main and runs.post differ (they point into actions/github/dist).
`;

/** The root action.yml for the given source text: the header, then the source with its runs paths moved. */
export function rootActionYml(source) {
  let inRuns = false;
  const lines = source.split('\n').map((line) => {
    if (/^\S/.test(line)) inRuns = line.startsWith('runs:');
    const entry = inRuns ? /^(\s+(?:pre|main|post):\s+)(\S+)\s*$/.exec(line) : null;
    return entry ? `${entry[1]}actions/github/${entry[2]}` : line;
  });
  return HEADER + lines.join('\n');
}

const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = rootActionYml(readFileSync(`${root}${SOURCE}`, 'utf8'));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(`${root}action.yml`, 'utf8');
  } catch {}
  if (current !== wanted) {
    console.error(`action.yml is not generated from ${SOURCE}: run \`node scripts/action-yml.mjs\``);
    process.exit(1);
  }
} else {
  writeFileSync(`${root}action.yml`, wanted);
}
