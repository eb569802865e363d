import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  DAEMONS,
  daemonPids,
  hookRevision,
  isRunning,
  killAll,
  setEnvironment,
  stillRunning,
} from '@codedeploy-gate/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy, fleet, settle } from '../e2e/deployment-fixture.js';
import { type Harness, startHarness } from '../e2e/helpers.js';

// Nothing a hook or a function starts outlives the server: daemons that left the hook's process
// group (setsid, nohup, a double fork) are stopped by close(), and by the next start on the same
// state dir when the server was killed before it could close.

const SERVE_CHILD = fileURLToPath(new URL('./serve-child.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

let work: string;
let pidDir: string;
const harnesses: Harness[] = [];
const children: ChildProcess[] = [];
/** Every process a test saw started: killed after it whatever happened. */
const started: number[] = [];

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'process-lifetime-'));
  pidDir = join(work, 'pids');
  await mkdir(pidDir);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const harness of harnesses.splice(0)) await harness.close();
  killAll([...started.splice(0), ...(await daemonPids(pidDir).catch(() => []))]);
  await rm(work, { recursive: true, force: true });
});

async function harness(stateDir: string): Promise<Harness> {
  const h = await startHarness({ port: 0, stateDir, hookEnvironment: { PID_DIR: pidDir } });
  harnesses.push(h);
  return h;
}

/** Deploys a revision whose ApplicationStart leaves the three daemons; returns their pids, all running. */
async function deployDaemons(h: Pick<Harness, 'codeDeploy' | 's3'>): Promise<number[]> {
  const app = await fleet(h as Harness, `daemons-${started.length}`, 1);
  const revision = await hookRevision({ ApplicationStart: DAEMONS });
  try {
    const info = await settle(h as Harness, await deploy(h as Harness, app, revision));
    const pids = await daemonPids(pidDir);
    started.push(...pids);
    expect(info.status).toBe('Succeeded');
    expect(pids).toHaveLength(3);
    expect(pids.filter(isRunning)).toEqual(pids);
    return pids;
  } finally {
    await rm(revision, { recursive: true, force: true });
  }
}

describe('what user code leaves running', () => {
  it('is stopped by close(): a setsid daemon, a nohup child and a double-forked orphan', async () => {
    const h = await harness(join(work, 'state'));
    const pids = await deployDaemons(h);
    await h.close();
    harnesses.splice(harnesses.indexOf(h), 1);
    expect(await stillRunning(pids)).toEqual([]);
  });

  it("is stopped by close() when a function's runner left it in a session of its own", async () => {
    const h = await harness(join(work, 'state'));
    h.server.compute.putFunction({
      name: 'daemonizing',
      runner: {
        command: `PID_DIR=${JSON.stringify(pidDir)}\n${DAEMONS} >&2\necho '{}'`,
      },
      timeout: 30,
    });
    const invoked = await h.lambda.send(new InvokeCommand({ FunctionName: 'daemonizing', Payload: '{}' }));
    expect(invoked.FunctionError).toBeUndefined();
    const pids = await daemonPids(pidDir);
    started.push(...pids);
    // The setsid and double-forked daemons outlive the invocation (they left its process group)...
    expect(pids.filter(isRunning).length).toBeGreaterThan(0);
    await h.close();
    harnesses.splice(harnesses.indexOf(h), 1);
    // ...but not the server.
    expect(await stillRunning(pids)).toEqual([]);
  });

  it('survives a SIGKILLed server and is stopped by the next start on the same state dir', async () => {
    const stateDir = join(work, 'state');
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE_CHILD, stateDir], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, PID_DIR: pidDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (chunk) => {
        text += chunk;
        const match = /"endpoint":"([^"]+)"/.exec(text);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) =>
        reject(new Error(`the server exited (${code}) before listening: ${text}`)),
      );
    });
    const clients = await clientsFor(endpoint);
    try {
      const pids = await deployDaemons(clients);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      // Nothing could stop them: the server had no chance to close.
      expect(pids.filter(isRunning)).toEqual(pids);

      await harness(stateDir);
      expect(await stillRunning(pids)).toEqual([]);
    } finally {
      clients.codeDeploy.destroy();
      clients.s3.destroy();
    }
  });

  it('is stopped at the next start only when its start time matches the record: a reused pid is left alone', async () => {
    const stateDir = join(work, 'state');
    await mkdir(stateDir);
    const recorded = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const reused = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    started.push(recorded.pid ?? 0, reused.pid ?? 0);
    const startTime = async (pid: number | undefined) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    };
    // A record left by a server that is gone (pid 0 never runs a server): one leader as it was
    // recorded, one whose pid now belongs to another process (its start time differs).
    await writeFile(
      join(stateDir, 'processes.json'),
      JSON.stringify({
        run: 'crashed-run',
        serverPid: 0,
        serverStartTime: '0',
        leaders: [
          { pid: recorded.pid, startTime: await startTime(recorded.pid) },
          { pid: reused.pid, startTime: '1' },
        ],
      }),
    );
    await harness(stateDir);
    expect(await stillRunning([recorded.pid ?? 0])).toEqual([]);
    expect(isRunning(reused.pid ?? 0)).toBe(true);
  });

  it('carrying a crashed run’s marker in its environment is stopped at the next start', async () => {
    const stateDir = join(work, 'state');
    await mkdir(stateDir);
    const restore = setEnvironment({ CODEDEPLOY_GATE_LOCAL_RUN: 'crashed-run' });
    let orphan: ChildProcess;
    try {
      orphan = spawn('setsid', ['sleep', '1000'], { stdio: 'ignore' });
    } finally {
      restore();
    }
    started.push(orphan.pid ?? 0);
    await writeFile(
      join(stateDir, 'processes.json'),
      JSON.stringify({ run: 'crashed-run', serverPid: 0, serverStartTime: '0', leaders: [] }),
    );
    await harness(stateDir);
    expect(await stillRunning([orphan.pid ?? 0])).toEqual([]);
  });
});

async function clientsFor(endpoint: string) {
  const { CodeDeployClient } = await import('@aws-sdk/client-codedeploy');
  const { S3Client } = await import('@aws-sdk/client-s3');
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    codeDeploy: new CodeDeployClient({ endpoint, region: 'us-east-1', credentials }),
    s3: new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
  };
}
