import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, CLI_COMPILED, EXAMPLES, runCli } from '../support/run-cli.js';

// Start-up is a feature users feel on every CI step (issue 18): a command loads only what it uses,
// and commands that send nothing to AWS load no AWS SDK client at all. Checked by recording every
// module the real process loads, not by timing it, for both CLIs the bin may run: the bundle (what
// `pnpm build` and an install give), whose chunks are named by the service client code they hold, and
// the compiled dist/ it falls back to, whose modules are named by their package.

const RECORDER = new URL('../support/module-recorder.mjs', import.meta.url).href;
const SAMPLE_APP = join(EXAMPLES, 'sample-app');
const SDK_CLIENT = /@aws-sdk[/+]client-([a-z0-9-]+)/;
/** A bundled client's code, minified, names its service: `serviceId??"CodeDeploy"`. */
const BUNDLED_SERVICE = /serviceId\?\?"([^"]+)"/g;
const SERVICE_CLIENTS = new Map([
  ['CodeDeploy', 'codedeploy'],
  ['S3', 's3'],
  ['Lambda', 'lambda'],
  ['ECS', 'ecs'],
]);

const BUILDS = [
  { name: 'bundled', script: CLI_BIN, itself: '/packages/cli/dist/bundle/index.js' },
  { name: 'compiled', script: CLI_COMPILED, itself: '/packages/cli/dist/main.js' },
];

let work: string | undefined;

afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
});

/** The AWS SDK service clients among `modules`: by package path, or inside a bundle's chunks. */
async function serviceClients(modules: string[]): Promise<string[]> {
  const clients = new Set(modules.flatMap((m) => SDK_CLIENT.exec(m)?.[1] ?? []));
  for (const module of modules.filter((m) => m.includes('/packages/cli/dist/bundle/'))) {
    const code = await readFile(module.startsWith('file:') ? fileURLToPath(module) : module, 'utf8');
    for (const [, service] of code.matchAll(BUNDLED_SERVICE)) {
      const client = SERVICE_CLIENTS.get(service as string);
      if (client) clients.add(client);
    }
  }
  return [...clients].sort();
}

describe.each(BUILDS)('what a command loads ($name CLI)', ({ script, itself }) => {
  /** Runs the CLI with the module recorder; its exit code, output and the AWS SDK clients it loaded. */
  async function clientsLoadedBy(args: string[]) {
    work = await mkdtemp(join(tmpdir(), 'codedeploy-gate-lazy-'));
    const log = join(work, 'modules.log');
    const run = await runCli(args, {
      cwd: work,
      script,
      env: { NODE_OPTIONS: `--import=${RECORDER}`, CODEDEPLOY_GATE_MODULE_LOG: log },
    });
    const modules = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))];
    return { run, modules, clients: await serviceClients(modules) };
  }

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
    expect(modules.some((m) => m.includes(itself))).toBe(true);
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
