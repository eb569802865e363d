import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkPassThrough, userEnvironment } from './user-env.js';
import { UserProcesses } from './user-processes.js';

/** One program to start for user code. */
export interface UserCodeStart {
  /** The program; core's `bashCommand(script)` gives a shell command's (bash without start-up files). */
  file: string;
  args: readonly string[];
  cwd?: string | undefined;
  stdio: StdioOptions;
  /** The code's own variables (a function's `Environment.Variables`): over the host's and the passed-through ones. */
  own?: Readonly<Record<string, string>> | undefined;
  /** What the service sets (the agent's `LIFECYCLE_EVENT`, Lambda's `AWS_LAMBDA_*`...): over everything else. */
  service: Readonly<Record<string, string>>;
}

export interface UserCodeLauncherOptions {
  /** Variables the user passes through to every hook and function (`--hook-env`). */
  passThrough?: Readonly<Record<string, string>> | undefined;
  /** Between SIGTERM and SIGKILL when what user code left running is stopped; default 2000. */
  killGraceMs?: number | undefined;
}

/**
 * The one way the local CodeDeploy starts user code (hook scripts, local functions): in a session
 * and process group of its own, with an allowlisted environment (see `userEnvironment`), tracked so
 * that nothing it starts outlives the server.
 */
export class UserCodeLauncher {
  private constructor(
    private readonly processes: UserProcesses,
    private readonly passThrough: Readonly<Record<string, string>>,
  ) {}

  /** A launcher that keeps what it started in memory (a lone agent, a unit test). */
  static inMemory(options: UserCodeLauncherOptions = {}): UserCodeLauncher {
    const passThrough = checkPassThrough(options.passThrough ?? {});
    return new UserCodeLauncher(UserProcesses.inMemory(options.killGraceMs ?? 2000), passThrough);
  }

  /**
   * A server's launcher, recording what it starts in `<stateDir>/processes.json`; first stops what
   * the last server on that state dir left running if it ended without closing.
   */
  static async open(
    stateDir: string,
    options: UserCodeLauncherOptions & { log: (line: string) => void },
  ): Promise<UserCodeLauncher> {
    // Checked before anything is stopped or recorded.
    const passThrough = checkPassThrough(options.passThrough ?? {});
    const processes = await UserProcesses.open(
      join(stateDir, 'processes.json'),
      options.killGraceMs ?? 2000,
      options.log,
    );
    return new UserCodeLauncher(processes, passThrough);
  }

  /** Starts the program detached (a new session), with its environment, and tracks it. */
  start(spec: UserCodeStart): ChildProcess {
    const { name, value } = this.processes.marker;
    const env = userEnvironment(process.env, [this.passThrough, spec.own, spec.service, { [name]: value }]);
    const child = spawn(spec.file, [...spec.args], {
      ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
      env,
      detached: true,
      stdio: spec.stdio,
    });
    if (child.pid !== undefined) this.processes.track(child.pid);
    return child;
  }

  /** Stops everything user code started (and what that started); the server's close. */
  close(): Promise<void> {
    return this.processes.stop();
  }
}
