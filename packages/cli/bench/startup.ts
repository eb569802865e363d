/**
 * CLI start-up benchmark (issue 18): how long do `status`, `--help`, `validate` and the first AWS
 * request of `deploy` take from spawn, for the CLI as installed (bin/codedeploy-gate.js) and the
 * Jenkins wrapper's bundle (actions/jenkins/dist), against the AWS CLI's `aws deploy get-deployment`
 * on the same deployment of a local CodeDeploy? Contenders take turns in every round (A B A B ...).
 * Wall time is spawn to exit (for `deploy`, spawn to the first request reaching a counting proxy in
 * front of the server, then the process is killed); CPU (user + sys) comes from GNU time; files
 * opened from one extra `strace` run per command. A measurement, not a test: it exits non-zero only
 * when the harness itself fails.
 *
 *   pnpm bench                                               (from the repo root, through turbo)
 *   pnpm --filter @codedeploy-gate/cli bench:startup         (this benchmark alone; BENCH_QUICK=1: 2 rounds)
 *   BENCH_BASELINE_CLI=/path/to/other/packages/cli/bin/codedeploy-gate.js pnpm ... bench:startup
 *     (adds that build's bin as a contender, "baseline")
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { provisionFleet } from '@codedeploy-gate/local';
import {
  describeMachine,
  machineLine,
  startCountingProxy,
  writeRevision,
} from '@codedeploy-gate/test-support';
import { deployArgs as deployCommand, startLocalService } from '../test/support/local-service.js';
import { median } from './report.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 15;
/** The goal of the issue: every measured command at most this share of `aws deploy get-deployment`. */
const GOAL_RATIO = 0.4;

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(CLI_DIR, '../..');
const RESULTS_FILE = join(REPO_ROOT, 'bench', '.work', 'startup.json');
const BUILDS = {
  bin: join(CLI_DIR, 'bin', 'codedeploy-gate.js'),
  jenkins: join(REPO_ROOT, 'actions', 'jenkins', 'dist', 'codedeploy-gate.mjs'),
  ...(process.env.BENCH_BASELINE_CLI ? { baseline: resolve(process.env.BENCH_BASELINE_CLI) } : {}),
};
const EXAMPLE_APP = join(REPO_ROOT, 'examples', 'sample-app');
const TIME = '/usr/bin/time';
const TRACE_FILE = join(tmpdir(), `codedeploy-gate-startup-${process.pid}.strace`);

const log = (line: string) => console.log(`[bench] ${line}`);

/** One thing timed each round: a command line, and whether it ends at exit or at its first request. */
interface Contender {
  id: string;
  argv: string[];
  until: 'exit' | 'first-request';
}

interface Sample {
  wallMs: number;
  cpuMs?: number;
}

interface Measured {
  id: string;
  wallMedianMs: number;
  cpuMedianMs?: number;
  ratio?: number;
  filesOpened?: number;
  jsFilesOpened?: number;
}

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Runs `argv` under GNU time (when present) and resolves at exit or at the proxy's first request. */
async function runOnce(
  contender: Contender,
  env: NodeJS.ProcessEnv,
  arrivals: number[],
  withTime: boolean,
): Promise<Sample> {
  const metrics = join(tmpdir(), `codedeploy-gate-startup-${process.pid}.time`);
  const [command, ...args] = withTime
    ? [TIME, '-f', '%U %S', '-o', metrics, ...contender.argv]
    : contender.argv;
  const seen = arrivals.length;
  const started = performance.now();
  // A process group of its own: a deploy stopped at its first request is stopped whole, not only the
  // GNU time or strace in front of it (the deploy would go on packaging and uploading meanwhile).
  const child = spawn(command as string, args, { env, stdio: 'ignore', detached: true });
  const exited = new Promise<number>((done) => child.once('exit', () => done(performance.now())));
  if (contender.until === 'first-request') {
    const arrived = await firstArrival(arrivals, seen, child);
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    // Killed mid-run: GNU time writes no usage for the child, so no CPU for this contender.
    return { wallMs: arrived - started };
  }
  const ended = await exited;
  const sample: Sample = { wallMs: ended - started };
  if (withTime) {
    const [user, sys] =
      (await readFile(metrics, 'utf8')).trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    if (user !== undefined && sys !== undefined) sample.cpuMs = (user + sys) * 1000;
  }
  return sample;
}

/** The arrival time of the first request after `seen`, or a failure if the child exits first. */
function firstArrival(arrivals: number[], seen: number, child: ChildProcess): Promise<number> {
  return new Promise((done, fail) => {
    const timer = setInterval(() => {
      const at = arrivals[seen];
      if (at !== undefined) {
        clearInterval(timer);
        done(at);
      }
    }, 2);
    child.once('exit', (code) => {
      clearInterval(timer);
      const at = arrivals[seen];
      if (at !== undefined) done(at);
      else fail(new Error(`deploy exited (${code}) before sending any request`));
    });
  });
}

/**
 * Runs a command to its end and collects its output. Asynchronously: the local CodeDeploy it talks to
 * runs in this process and must keep answering.
 */
function collect(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0] as string, argv.slice(1), { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Files a command opens (successful `openat`s, and how many of them are .js/.mjs/.cjs), from strace. */
async function filesOpened(contender: Contender, env: NodeJS.ProcessEnv, arrivals: number[]) {
  const traced: Contender = {
    ...contender,
    argv: [
      'strace',
      '-f',
      '-qq',
      '-e',
      'trace=openat',
      '-e',
      'signal=none',
      '-o',
      TRACE_FILE,
      ...contender.argv,
    ],
  };
  // The deploy is stopped at its first request, as when timed: its files are those it opened until then.
  await runOnce(traced, env, arrivals, false);
  const opened = (await readFile(TRACE_FILE, 'utf8'))
    .split('\n')
    .filter((line) => line.includes('openat(') && !/= -1 /.test(line))
    .map((line) => /"([^"]*)"/.exec(line)?.[1] ?? '');
  await rm(TRACE_FILE, { force: true });
  return { all: opened.length, js: opened.filter((file) => /\.[cm]?js$/.test(file)).length };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  log(machineLine(machine).slice(2));
  const awsCli = hasCommand('aws', ['--version']);
  if (!awsCli)
    log('aws (the AWS CLI) is not installed: skipping the comparison with aws deploy get-deployment');
  const gnuTime = hasCommand(TIME, ['-f', '%U', 'true']);
  if (!gnuTime) log(`${TIME} not found: CPU is not measured`);
  const strace = hasCommand('strace', ['-qq', 'true']);
  if (!strace) log('strace not found: files opened are not counted');
  const builds = Object.entries(BUILDS).filter(([name, path]) => {
    if (existsSync(path)) return true;
    log(`${name} build missing (${path}): run pnpm build first; skipping it`);
    return false;
  });

  log('starting the local CodeDeploy');
  const local = await startLocalService({});
  const proxy = await startCountingProxy(local.server.endpoint);
  const revision = await writeRevision();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...local.env,
  };
  const proxiedEnv = { ...env, AWS_ENDPOINT_URL: proxy.endpoint };
  try {
    const fleet = await provisionFleet(local, { application: 'startup', instances: 1 });
    const deployArgs = (cli: string) => [
      process.execPath,
      cli,
      ...deployCommand(fleet, revision.dir, '--no-wait'),
    ];
    const created = await collect([...deployArgs(BUILDS.bin), '--json'], env);
    if (created.code !== 0) throw new Error(`deploy --no-wait failed: ${created.stderr}`);
    const deploymentId: string = JSON.parse(created.stdout).deployment.id;
    log(`deployment ${deploymentId} on ${local.server.endpoint}; ${ROUNDS} rounds`);

    const contenders: Contender[] = [];
    if (awsCli) {
      contenders.push({
        id: 'aws deploy get-deployment',
        argv: [
          'aws',
          'deploy',
          'get-deployment',
          '--deployment-id',
          deploymentId,
          '--endpoint-url',
          local.server.endpoint,
        ],
        until: 'exit',
      });
    }
    for (const [name, cli] of builds) {
      contenders.push(
        { id: `${name}: status`, argv: [process.execPath, cli, 'status', deploymentId], until: 'exit' },
        { id: `${name}: --help`, argv: [process.execPath, cli, '--help'], until: 'exit' },
        { id: `${name}: validate`, argv: [process.execPath, cli, 'validate', EXAMPLE_APP], until: 'exit' },
        { id: `${name}: deploy, first request`, argv: deployArgs(cli), until: 'first-request' },
      );
    }

    const samples = new Map<string, Sample[]>(contenders.map((c) => [c.id, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const contender of contenders) {
        const runEnv = contender.until === 'first-request' ? proxiedEnv : env;
        samples.get(contender.id)?.push(await runOnce(contender, runEnv, proxy.arrivals, gnuTime));
      }
    }

    const awsMedian = awsCli
      ? median(samples.get('aws deploy get-deployment')?.map((s) => s.wallMs) ?? [])
      : undefined;
    const results: Measured[] = [];
    for (const contender of contenders) {
      const runs = samples.get(contender.id) ?? [];
      const cpu = runs.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
      const wallMedianMs = median(runs.map((s) => s.wallMs));
      const files = strace
        ? await filesOpened(contender, contender.until === 'first-request' ? proxiedEnv : env, proxy.arrivals)
        : undefined;
      results.push({
        id: contender.id,
        wallMedianMs,
        ...(cpu.length > 0 ? { cpuMedianMs: median(cpu) } : {}),
        ...(awsMedian ? { ratio: wallMedianMs / awsMedian } : {}),
        ...(files ? { filesOpened: files.all, jsFilesOpened: files.js } : {}),
      });
    }

    log('');
    log('| command | wall median | CPU (user+sys) median | vs aws get-deployment | files opened (.js) |');
    log('|---|---:|---:|---:|---:|');
    for (const r of results) {
      const ratio =
        r.ratio === undefined
          ? '—'
          : `${r.ratio.toFixed(2)}×${r.ratio <= GOAL_RATIO || r.id.startsWith('aws') ? '' : ' (goal ≤ 0.4×)'}`;
      const cpu = r.cpuMedianMs === undefined ? '—' : `${(r.cpuMedianMs / 1000).toFixed(2)} s`;
      const files = r.filesOpened === undefined ? '—' : `${r.filesOpened} (${r.jsFilesOpened})`;
      log(`| ${r.id} | ${(r.wallMedianMs / 1000).toFixed(3)} s | ${cpu} | ${ratio} | ${files} |`);
    }
    await mkdir(dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify({ machine, rounds: ROUNDS, results }, null, 2)}\n`);
    log(`results in ${RESULTS_FILE}`);
  } finally {
    await proxy.close();
    await local.close();
    await rm(revision.dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
