// `pnpm demo`: the main job on a machine with nothing but Node — deploy the sample app through the
// embedded local CodeDeploy to three local instances (real hooks, real S3 and CodeDeploy APIs), then
// show the validate and package steps on their own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'bin', 'codedeploy-gate.js');
const app = join(root, 'examples', 'sample-app');
const out = join(mkdtempSync(join(tmpdir(), 'codedeploy-gate-demo-')), 'sample-app.zip');

const steps = [
  ['local', 'run', app, '--instances', '3'],
  ['validate', app],
  ['package', app, '--out', out],
  ['validate', out],
  ['validate', join(root, 'examples', 'lambda', 'appspec.yml')],
  ['validate', join(root, 'examples', 'ecs', 'appspec.yaml')],
];
for (const args of steps) {
  console.log(`\n$ codedeploy-gate ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
