// `pnpm demo`: the main job on a machine with nothing but Node — build the CLI, deploy the sample app
// through the embedded local CodeDeploy to three local instances (real hooks, real S3 and CodeDeploy
// APIs, each lifecycle event shown as it happens), then show the validate and package steps on their
// own. `--no-build` skips the build (the demo's tests run it so; so can a second run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'bin', 'codedeploy-gate.js');
const app = join(root, 'examples', 'sample-app');
const out = join(mkdtempSync(join(tmpdir(), 'codedeploy-gate-demo-')), 'sample-app.zip');

/** The workspace packages the CLI needs built: itself and its workspace dependencies, transitively. */
function packagesToBuild() {
  const workspace = new Map();
  for (const folder of ['packages', 'actions']) {
    for (const name of readdirSync(join(root, folder))) {
      try {
        const manifest = JSON.parse(readFileSync(join(root, folder, name, 'package.json'), 'utf8'));
        workspace.set(manifest.name, manifest);
      } catch {
        // Not a package (a README).
      }
    }
  }
  const needed = new Set();
  const visit = (name) => {
    const manifest = workspace.get(name);
    if (!manifest || needed.has(name)) return;
    needed.add(name);
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }))
      visit(dependency);
  };
  visit('@codedeploy-gate/cli');
  return [...needed];
}

function run(command, args) {
  const { status, error } = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (error) throw error;
  if (status !== 0) process.exit(status ?? 1);
}

if (!process.argv.includes('--no-build')) {
  const names = packagesToBuild();
  console.log(
    `building ${names.length} packages (${names.map((n) => n.replace('@codedeploy-gate/', '')).join(', ')}) with turbo: ` +
      'TypeScript compiles each one, a few minutes on a first run, seconds once cached',
  );
  // new-only: a package compiled now shows its compiler's output as it goes; a cached one says so.
  run('pnpm', [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@codedeploy-gate/cli...',
    '--output-logs=new-only',
  ]);
}

const steps = [
  {
    args: ['local', 'run', app, '--instances', '3'],
    what: 'deploys to three local instances one at a time; each line is a lifecycle event on one instance, as it starts (…) and ends (✓ or ✗)',
  },
  { args: ['validate', app] },
  { args: ['package', app, '--out', out] },
  { args: ['validate', out] },
  { args: ['validate', join(root, 'examples', 'lambda', 'appspec.yml')] },
  { args: ['validate', join(root, 'examples', 'ecs', 'appspec.yaml')] },
];
for (const { args, what } of steps) {
  console.log(`\n$ codedeploy-gate ${args.join(' ')}`);
  if (what) console.log(`  (${what})`);
  run(process.execPath, [cli, ...args]);
}
