import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the hooks of a revision written by `writeRevision` behave. */
export interface RevisionSpec {
  /** Instances whose ValidateService fails (exit 3, "failing on purpose" on stderr). */
  failOn?: string[];
  /** Seconds ApplicationStart sleeps, to catch or stop the deployment mid-way. */
  startSleep?: number;
  /** ValidateService's timeout in seconds (default 30); with `validateSleep` above it, the hook times out. */
  validateTimeout?: number;
  /** Seconds ValidateService sleeps before it checks. */
  validateSleep?: number;
  /** Written to the installed app (`/srv/app/VERSION`), to tell revisions apart on the instance. */
  version?: string;
}

/** A revision folder on disk; `cleanup` removes it. */
export interface RevisionFolder {
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * A revision folder for the local CodeDeploy whose hooks behave per instance (they read
 * CODEDEPLOY_GATE_INSTANCE_NAME), so one deployment can succeed on some instances and fail on
 * others. ApplicationStop prints the version it stops, read from the instance.
 */
export async function writeRevision(spec: RevisionSpec = {}): Promise<RevisionFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-revision-'));
  await mkdir(join(dir, 'scripts'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'VERSION'), `${spec.version ?? '1'}\n`);
  await writeFile(join(dir, 'fail-on'), `${(spec.failOn ?? []).join('\n')}\n`);
  await writeFile(
    join(dir, 'appspec.yml'),
    [
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: app',
      '    destination: /srv/app',
      'file_exists_behavior: OVERWRITE',
      'hooks:',
      '  ApplicationStop:',
      '    - location: scripts/stop.sh',
      '  ApplicationStart:',
      '    - location: scripts/start.sh',
      '  ValidateService:',
      '    - location: scripts/validate.sh',
      `      timeout: ${spec.validateTimeout ?? 30}`,
      '',
    ].join('\n'),
  );
  const scripts: Record<string, string> = {
    'stop.sh':
      'echo "stopping version $(cat "$CODEDEPLOY_GATE_INSTANCE_ROOT/srv/app/VERSION" 2>/dev/null || echo none)"',
    'start.sh': `echo "starting on $CODEDEPLOY_GATE_INSTANCE_NAME"; sleep ${spec.startSleep ?? 0}`,
    'validate.sh': [
      `sleep ${spec.validateSleep ?? 0}`,
      'if grep -qx "$CODEDEPLOY_GATE_INSTANCE_NAME" "$(dirname "$0")/../fail-on"; then',
      '  echo "validating $CODEDEPLOY_GATE_INSTANCE_NAME"',
      '  echo "failing on purpose" >&2',
      '  exit 3',
      'fi',
      'echo "healthy"',
    ].join('\n'),
  };
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(dir, 'scripts', name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, 'scripts', name), 0o755);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
