import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstancePlan } from './scenario.js';

/**
 * A revision folder whose hooks sleep for the instance's planned time: both scripts look their
 * instance up (CODEDEPLOY_GATE_INSTANCE_NAME, set by the local agent) in the bundled `timings` file.
 */
export async function writeRevision(dir: string, plans: readonly InstancePlan[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'VERSION'), '1\n');
  await writeFile(
    join(dir, 'timings'),
    plans.map((p) => `${p.name} ${p.startSleepS} ${p.validateSleepS} ${p.validateExit}\n`).join(''),
  );
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
      '  ApplicationStart:',
      '    - location: scripts/start.sh',
      '      timeout: 600',
      '  ValidateService:',
      '    - location: scripts/validate.sh',
      '      timeout: 600',
      '',
    ].join('\n'),
  );
  const lookup = 'set -- $(grep "^$CODEDEPLOY_GATE_INSTANCE_NAME " "$(dirname "$0")/../timings")';
  const scripts: Record<string, string[]> = {
    'start.sh': [lookup, 'echo "starting on $1"', 'sleep "$2"'],
    'validate.sh': [
      lookup,
      'sleep "$3"',
      'if [ "$4" -ne 0 ]; then echo "health check failed on $1" >&2; exit "$4"; fi',
      'echo healthy',
    ],
  };
  for (const [name, lines] of Object.entries(scripts)) {
    // Timings: NAME START_SLEEP_S VALIDATE_SLEEP_S VALIDATE_EXIT (wall seconds, already time-scaled).
    await writeFile(join(dir, 'scripts', name), ['#!/bin/sh', 'set -eu', ...lines, ''].join('\n'));
    await chmod(join(dir, 'scripts', name), 0o755);
  }
}
