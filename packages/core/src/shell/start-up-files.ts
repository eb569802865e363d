/**
 * bash's flags that skip its profile and rc files. A non-interactive bash still reads `~/.bashrc`
 * when its stdin is a socket (it takes itself for a command started by rshd/sshd), and Node's
 * `'pipe'` stdio is a socketpair: without these flags a `.bashrc` that runs `pyenv init` (slow) or
 * exports credentials runs inside every command we start.
 */
export const BASH_NO_START_UP_FILES: readonly string[] = ['--noprofile', '--norc'];

/**
 * Variables naming a file a shell sources before its command: bash's `BASH_ENV` (every
 * non-interactive bash, whatever its flags, and every `#!/bin/bash` script) and sh's `ENV`.
 */
export const START_UP_FILE_VARIABLES: readonly string[] = ['BASH_ENV', 'ENV'];

/** `bash -c script` that reads no start-up file (the environment must go through {@link withoutStartUpFiles}). */
export function bashCommand(script: string): { file: string; args: string[] } {
  return { file: 'bash', args: [...BASH_NO_START_UP_FILES, '-c', script] };
}

/** A copy of `env` without the variables that make a shell source a file first. */
export function withoutStartUpFiles<T extends NodeJS.ProcessEnv>(env: T): T {
  const copy = { ...env };
  for (const name of START_UP_FILE_VARIABLES) delete copy[name];
  return copy;
}
