// `pnpm demo`: the main job on a machine with nothing but Node — validate the sample revision and
// package it into a deterministic bundle, then validate the bundle the way `validate` reads bundles.
// (When the local CodeDeploy lands, this grows into a full local deployment.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'codedeploy-gate.js');
const app = join(import.meta.dirname, '..', 'examples', 'sample-app');
const out = join(mkdtempSync(join(tmpdir(), 'codedeploy-gate-demo-')), 'sample-app.zip');

const steps = [
  ['validate', app],
  ['package', app, '--out', out],
  ['validate', out],
  ['validate', join(import.meta.dirname, '..', 'examples', 'lambda', 'appspec.yml')],
  ['validate', join(import.meta.dirname, '..', 'examples', 'ecs', 'appspec.yaml')],
];
for (const args of steps) {
  console.log(`\n$ codedeploy-gate ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
