import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from '../support/run-cli.js';

// Start-up is a feature users feel on every CI step (issue 18): a command loads only what it uses,
// and commands that send nothing to AWS load no AWS SDK client at all. Checked by recording every
// module the real process loads, not by timing it.

const RECORDER = new URL('../support/module-recorder.mjs', import.meta.url).href;
const SAMPLE_APP = join(EXAMPLES, 'sample-app');
const SDK_CLIENT = /@aws-sdk[/+]client-([a-z0-9-]+)/;

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

/** Runs the CLI with the module recorder; its exit code, output and the AWS SDK clients it loaded. */
async function clientsLoadedBy(args: string[]) {
  work = await mkdtemp(join(tmpdir(), 'codedeploy-gate-lazy-'));
  const log = join(work, 'modules.log');
  const run = await runCli(args, {
    cwd: work,
    env: { NODE_OPTIONS: `--import=${RECORDER}`, CODEDEPLOY_GATE_MODULE_LOG: log },
  });
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const clients = new Set(modules.flatMap((m) => SDK_CLIENT.exec(m)?.[1] ?? []));
  return { run, modules, clients: [...clients].sort() };
}

describe('what a command loads', () => {
  it.each([
    ['--help', ['--help']],
    ['--version', ['--version']],
    ['validate of a revision folder', ['validate', SAMPLE_APP]],
    ['validate of an appspec file', ['validate', join(SAMPLE_APP, 'appspec.yml')]],
    ['package', ['package', SAMPLE_APP, '--out', 'bundle.zip']],
  ])('%s loads no AWS SDK client', async (_name, args) => {
    const { run, modules, clients } = await clientsLoadedBy(args);

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    // The recorder saw the CLI itself: an empty list would prove nothing.
    expect(modules.some((m) => m.includes('/packages/cli/dist/main.js'))).toBe(true);
    expect(clients).toEqual([]);
  });

  it.each([
    ['status', ['status', '--help']],
    ['wait', ['wait', '--help']],
    ['stop', ['stop', '--help']],
  ])('%s loads the CodeDeploy client and no other', async (_name, args) => {
    const { run, clients } = await clientsLoadedBy(args);

    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    expect(clients).toEqual(['codedeploy']);
  });

  it('an invalid revision is reported with its problems, loading no AWS SDK client', async () => {
    const appspec = fileURLToPath(new URL('../../package.json', import.meta.url));
    const { run, clients } = await clientsLoadedBy(['validate', appspec, '--json']);

    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).valid).toBe(false);
    expect(clients).toEqual([]);
  });
});
