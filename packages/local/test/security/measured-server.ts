import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** Resident memory of the server process, in bytes. */
export interface Memory {
  rss: number;
  peak: number;
}

/** The local CodeDeploy as a child process whose memory the test can read. */
export class MeasuredServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** Starts `fixtures/serve-measured.mjs` (the built package) on `stateDir`; resolves once it listens. */
  static async start(stateDir: string): Promise<MeasuredServer> {
    const child = fork(join(import.meta.dirname, 'fixtures', 'serve-measured.mjs'), [stateDir], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Plain Node, as the CLI runs it: not the loaders of the process that starts it (tsx, vitest).
      execArgv: [],
    });
    const settled = new AbortController();
    try {
      const [first] = (await Promise.race([
        once(child, 'message', { signal: settled.signal }),
        once(child, 'exit', { signal: settled.signal }).then(([code]) => {
          throw new Error(`the measured server exited (${String(code)}) before listening`);
        }),
      ])) as [{ endpoint: string }];
      return new MeasuredServer(child, first.endpoint);
    } finally {
      settled.abort();
    }
  }

  /** The current and peak RSS; `reset` starts a new peak from now. */
  async memory(message: 'reset' | 'read'): Promise<Memory> {
    this.child.send(message);
    const [memory] = (await once(this.child, 'message')) as [Memory];
    return memory;
  }

  /** Kills the process (SIGKILL: nothing of it may outlive a failed test). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}
