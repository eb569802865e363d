// Fixtures for tests of what the local CodeDeploy's user code (hook scripts, local functions) can
// see and leave behind: fake host secrets, revisions of bash hooks, daemons, and process checks.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fake credentials under the names a CI host holds them, each value unique to this run. */
export function fakeSecrets(): Record<string, string> {
  const value = (name: string) => `fake-${name.toLowerCase()}-${randomBytes(6).toString('hex')}`;
  return Object.fromEntries(
    ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GITHUB_TOKEN', 'MY_TOKEN'].map((name) => [
      name,
      value(name),
    ]),
  );
}

/** Sets variables in this process's environment; the returned function puts the old values back. */
export function setEnvironment(variables: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** A revision folder whose appspec runs each script (a bash body) in its lifecycle event. */
export async function hookRevision(
  hooks: Record<string, string>,
  options: { timeout?: number } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'user-code-revision-'));
  await mkdir(join(dir, 'scripts'));
  const lines = ['version: 0.0', 'os: linux', 'hooks:'];
  for (const [event, body] of Object.entries(hooks)) {
    const script = join(dir, 'scripts', `${event}.sh`);
    await writeFile(script, `#!/bin/bash\n${body}\n`);
    await chmod(script, 0o755);
    lines.push(
      `  ${event}:`,
      `    - location: scripts/${event}.sh`,
      `      timeout: ${options.timeout ?? 60}`,
    );
  }
  await writeFile(join(dir, 'appspec.yml'), `${lines.join('\n')}\n`);
  return dir;
}

/**
 * Bash lines that leave three daemons behind, each writing its pid into `$PID_DIR`: one in a session
 * of its own (`setsid`), one under `nohup`, one orphaned by a double fork. Their output goes to
 * /dev/null, as the agent's docs ask, so the hook itself ends; it waits until all three wrote.
 */
export const DAEMONS = [
  `setsid bash -c 'echo $$ > "$0"; exec sleep 1000' "$PID_DIR/setsid.pid" > /dev/null 2>&1 < /dev/null &`,
  `nohup bash -c 'echo $$ > "$0"; exec sleep 1000' "$PID_DIR/nohup.pid" > /dev/null 2>&1 < /dev/null &`,
  `( bash -c 'echo $$ > "$0"; exec sleep 1000' "$PID_DIR/double-fork.pid" > /dev/null 2>&1 < /dev/null & ) &`,
  'for name in setsid nohup double-fork; do',
  '  while [ ! -s "$PID_DIR/$name.pid" ]; do sleep 0.05; done',
  'done',
  'echo "daemons started"',
].join('\n');

/** The daemons' pids, as they wrote them. */
export async function daemonPids(pidDir: string): Promise<number[]> {
  const names = (await readdir(pidDir)).filter((name) => name.endsWith('.pid'));
  return Promise.all(names.map(async (name) => Number((await readFile(join(pidDir, name), 'utf8')).trim())));
}

/** True while the process runs (a zombie waiting to be reaped has ended). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pids of `pids` still running after up to `timeoutMs` (the signals may take a moment). */
export async function stillRunning(pids: readonly number[], timeoutMs = 5_000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() > end) return running;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGKILL to each pid still running: a test's clean-up, whatever happened in it. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

/** Every file under `dir` (recursively) whose content holds one of `needles`, with the needle. */
export async function filesHolding(dir: string, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path, 'latin1').catch(() => '');
    for (const needle of needles) if (content.includes(needle)) found.push(`${path}: ${needle}`);
  }
  return found;
}
