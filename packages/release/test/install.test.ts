import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeDeployClient, ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { closeAtEnd, type ProcessResult, startProcess, until } from '@codedeploy-gate/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelease, type Release } from '../src/artifacts.mjs';
import { type StoreRegistry, startStoreRegistry } from '../src/store-registry.mjs';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const sampleApp = join(root, 'examples/sample-app');
const cliVersion: string = JSON.parse(
  await readFile(join(root, 'packages/cli/package.json'), 'utf8'),
).version;

// Packing and installing for real while \`pnpm test\` runs every package's tests at once: the limits are
// for a hang, not for speed (about 55 s on its own on a loaded 2-core machine).
const SETUP_MS = 300_000;
const STEP_MS = 180_000;

let work: string;
let release: Release;
let registry: StoreRegistry;
let store: string;

/** The environment of a user's shell: none of the npm/pnpm settings of the `pnpm test` running us. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(name)) env[name] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', NO_COLOR: '1' };
}

function run(cwd: string, command: string, args: string[]): Promise<ProcessResult> {
  return startProcess(command, args, { cwd, env: userEnv() }).done;
}

/** `pnpm add SPEC` from the release registry, with the workspace's store and an empty cache. */
async function install(project: string, spec: string): Promise<void> {
  const result = await run(project, 'pnpm', [
    'add',
    spec,
    '--registry',
    registry.url,
    '--store-dir',
    store,
    '--cache-dir',
    join(work, 'cache'),
  ]);
  expect(result.code, `pnpm add ${spec}:\n${result.stdout}${result.stderr}`).toBe(0);
}

async function installed(project: string): Promise<string[]> {
  // Entries are NAME@VERSION[_PEERS], scope slash as `+`: `s3rver@3.7.1_supports-color@5.5.0`.
  return (await readdir(join(project, 'node_modules/.pnpm'))).map((entry) =>
    entry.slice(0, entry.indexOf('@', 1)),
  );
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** Unpacks the release asset NAME-VERSION.tgz as a host would, into a folder of its own; returns NAME-VERSION/. */
async function unpack(name: string): Promise<string> {
  const into = join(work, name);
  await mkdir(into);
  const tar = await run(into, 'tar', ['-xzf', join(work, 'dist-release', `${name}-${cliVersion}.tgz`)]);
  expect(tar.code, tar.stderr).toBe(0);
  return join(into, `${name}-${cliVersion}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'codedeploy-gate-release-test-'));
  release = await buildRelease({ root, outDir: join(work, 'dist-release') });
  registry = closeAtEnd(
    await startStoreRegistry({
      lockfile: join(root, 'pnpm-lock.yaml'),
      tarballs: release.npm.map((artifact) => artifact.file),
    }),
  );
  store = await workspaceStore();
}, SETUP_MS);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * The store the workspace was installed from, as its node_modules records it: `pnpm store path`
 * derives the store from HOME, which need not be the HOME of the install (CI images, a test HOME).
 */
async function workspaceStore(): Promise<string> {
  const modules = await readFile(join(root, 'node_modules/.modules.yaml'), 'utf8').catch(() => '');
  const recorded = /^\s*"?storeDir"?:\s*"?([^"\n]+)"?,?\s*$/m.exec(modules)?.[1];
  return recorded ?? (await run(root, 'pnpm', ['store', 'path'])).stdout.trim();
}

describe('release artifacts', { timeout: STEP_MS }, () => {
  it('lists every artifact in SHA256SUMS with the hash of its bytes', async () => {
    const lines = (await readFile(release.sums, 'utf8')).trim().split('\n');
    const listed = new Map(lines.map((line) => [line.slice(66), line.slice(0, 64)]));
    const artifacts = [...release.npm, ...release.assets];
    expect([...listed.keys()].sort()).toEqual(artifacts.map((a) => basename(a.file)).sort());
    for (const artifact of artifacts)
      expect(listed.get(basename(artifact.file))).toBe(await sha256(artifact.file));
    expect([...listed.keys()]).toEqual(
      expect.arrayContaining([
        `codedeploy-gate-core-${cliVersion}.tgz`,
        `codedeploy-gate-cli-${cliVersion}.tgz`,
        `codedeploy-gate-local-${cliVersion}.tgz`,
        `codedeploy-gate-s3-emulator-${cliVersion}.tgz`,
        `codedeploy-gate-jenkins-${cliVersion}.tgz`,
        `codedeploy-gate-codepipeline-${cliVersion}.tgz`,
      ]),
    );
  });

  it('packs every npm package with the LICENSE and real versions where the workspace had workspace:', async () => {
    const license = await readFile(join(root, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    for (const { file } of release.npm) {
      const entry = async (name: string) =>
        (await run(work, 'tar', ['-xzOf', file, `package/${name}`])).stdout;
      expect(await entry('LICENSE'), basename(file)).toBe(license);
      const manifest = await entry('package.json');
      expect(manifest, basename(file)).not.toContain('workspace:');
      expect(JSON.parse(manifest).license).toBe('Apache-2.0');
    }
  });

  it('packs the same bytes twice (the sums can be checked against a rebuild)', async () => {
    const again = await buildRelease({ root, outDir: join(work, 'again') });
    expect((await readFile(again.sums, 'utf8')).split('\n')).toEqual(
      (await readFile(release.sums, 'utf8')).split('\n'),
    );
  });

  it('ships a Jenkins wrapper whose bundled CLI validates a revision from the unpacked folder', async () => {
    const folder = await unpack('codedeploy-gate-jenkins');
    expect((await stat(join(folder, 'LICENSE'))).isFile()).toBe(true);
    const version = await run(folder, 'node', ['dist/codedeploy-gate.mjs', '--version']);
    expect(version.stdout.trim()).toBe(cliVersion);
    const valid = await run(folder, 'bash', [
      '--noprofile',
      '--norc',
      'bin/codedeploy-gate-jenkins',
      'validate',
      sampleApp,
    ]);
    expect(valid.code, valid.stderr).toBe(0);
  });

  it('ships a CodePipeline worker that starts from the unpacked folder', async () => {
    const folder = await unpack('codedeploy-gate-codepipeline');
    const help = await run(folder, 'node', ['bin/codedeploy-gate-codepipeline.js', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: codedeploy-gate-codepipeline --provider NAME --version V');
    // Without a provider it refuses as invalid input (2), proving the bundle loaded and parsed its options.
    const refused = await run(folder, 'node', ['bin/codedeploy-gate-codepipeline.js']);
    expect(refused.code).toBe(2);
  });
});

describe('npm packages installed from their tarballs', { timeout: STEP_MS }, () => {
  let project: string;

  beforeAll(async () => {
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{ "name": "a-pipeline", "private": true }\n');
    await install(project, `@codedeploy-gate/cli@${cliVersion}`);
  }, STEP_MS);

  it('runs --version, validate and package from the CLI alone', async () => {
    const version = await run(project, 'npx', ['--no', '--', 'codedeploy-gate', '--version']);
    expect(version.stdout.trim()).toBe(cliVersion);

    const valid = await run(project, 'npx', ['--no', '--', 'codedeploy-gate', 'validate', sampleApp]);
    expect(valid.code, valid.stderr).toBe(0);
    await writeFile(join(project, 'broken.yml'), 'version: 0.0\nhooks:\n  NoSuchEvent: []\n');
    const invalid = await run(project, 'npx', ['--no', '--', 'codedeploy-gate', 'validate', 'broken.yml']);
    expect(invalid.code).toBe(2);

    const out = join(project, 'app.zip');
    const packaged = await run(project, 'npx', [
      '--no',
      '--',
      'codedeploy-gate',
      'package',
      sampleApp,
      '--out',
      out,
      '--json',
    ]);
    expect(packaged.code, packaged.stderr).toBe(0);
    expect(JSON.parse(packaged.stdout).sha256).toBe(await sha256(out));
  });

  it('installs none of the local CodeDeploy with the CLI, and says how to get it', async () => {
    const names = await installed(project);
    expect(names).toContain('@codedeploy-gate+core');
    for (const heavy of [
      '@codedeploy-gate+local',
      '@codedeploy-gate+s3-emulator',
      's3rver',
      'koa',
      'busboy',
    ]) {
      expect(names).not.toContain(heavy);
    }
    const local = await run(project, 'npx', [
      '--no',
      '--',
      'codedeploy-gate',
      'local',
      'serve',
      '--port',
      '0',
    ]);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('install @codedeploy-gate/local');
  });

  it('serves the local CodeDeploy from @codedeploy-gate/local, added beside the CLI', async () => {
    await install(project, `@codedeploy-gate/local@${cliVersion}`);
    expect(await installed(project)).toEqual(expect.arrayContaining(['s3rver', '@codedeploy-gate+local']));
    const server = startProcess(
      'npx',
      ['--no', '--', 'codedeploy-gate-local', 'serve', '--port', '0', '--state-dir', join(work, 'state')],
      { cwd: project, env: userEnv() },
    );
    let stdout = '';
    server.child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    const endpoint = await until(
      'the local CodeDeploy to listen',
      async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1],
      STEP_MS,
    );
    const client = new CodeDeployClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      expect((await client.send(new ListApplicationsCommand({}))).applications).toEqual([]);
    } finally {
      client.destroy();
      await server.stop();
    }
  });
});
