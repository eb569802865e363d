import { dirname, isAbsolute, resolve } from 'node:path';
import { MAX_READ_SIZE } from '@codedeploy-gate/core/bundle';
import { InvalidInputError } from '@codedeploy-gate/core/errors';
import { readRegularFile } from '@codedeploy-gate/core/files';
import type { ComputeSeed } from '@codedeploy-gate/local';
import { load } from 'js-yaml';

/**
 * A `--compute FILE` for the local CodeDeploy: a ComputeSeed (Lambda functions, ECS task definitions,
 * clusters and services, alarm states) in JSON or YAML. Runner paths in it (`module`, `cwd`) are
 * relative to the file, and a `command` runner without `cwd` runs in the file's folder, so a seed
 * kept beside its hook functions works from wherever the server is started. The local server checks
 * the rest of the shape when it starts (see `seedError`).
 */
export async function readComputeSeedFile(file: string, cwd: string): Promise<ComputeSeed> {
  const path = resolve(cwd, file);
  const text = (
    await readRegularFile(path, {
      what: '--compute',
      maxBytes: MAX_READ_SIZE,
      hint: 'Give the JSON or YAML file describing the local functions, services and alarms (see examples/lambda/local-compute.json).',
    })
  ).toString('utf8');
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(path) ? JSON.parse(text) : load(text, { filename: path });
  } catch (error) {
    throw new InvalidInputError(
      `--compute ${file} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      {
        hint: 'Fix the syntax; YAML and JSON are both accepted (JSON when the name ends in .json).',
        cause: error,
      },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidInputError(`--compute ${file} must hold one object with functions, ecs and alarms`, {
      hint: 'Start from examples/lambda/local-compute.json or examples/ecs/local-compute.json.',
    });
  }
  return anchorRunners(parsed as ComputeSeed, dirname(path));
}

/** The server's seed error, as the user's input error naming the file. */
export function seedError(file: string, error: Error): InvalidInputError {
  return new InvalidInputError(`--compute ${file}: ${error.message}`, {
    hint: 'Fix the seed file; nothing was started. Its shape is ComputeSeed in packages/local (functions, ecs.taskDefinitions, ecs.clusters, alarms).',
    cause: error,
  });
}

/** Runner paths made absolute against the seed file's folder (the server would use its own cwd). */
function anchorRunners(seed: ComputeSeed, base: string): ComputeSeed {
  const at = (path: unknown) => (typeof path === 'string' && !isAbsolute(path) ? resolve(base, path) : path);
  const anchor = (runner: unknown): unknown => {
    if (runner === null || typeof runner !== 'object') return runner;
    const copy = { ...(runner as Record<string, unknown>) };
    if ('module' in copy) copy.module = at(copy.module);
    if ('command' in copy) copy.cwd = copy.cwd === undefined ? base : at(copy.cwd);
    return copy;
  };
  if (!Array.isArray(seed.functions)) return seed;
  return {
    ...seed,
    functions: seed.functions.map((fn) => {
      if (fn === null || typeof fn !== 'object') return fn;
      return {
        ...fn,
        ...(fn.runner !== undefined ? { runner: anchor(fn.runner) } : {}),
        ...(Array.isArray(fn.versions)
          ? {
              versions: fn.versions.map((version) =>
                version !== null && typeof version === 'object' && version.runner !== undefined
                  ? { ...version, runner: anchor(version.runner) }
                  : version,
              ),
            }
          : {}),
      } as typeof fn;
    }),
  };
}
