import {
  type LambdaFunctionRecord,
  type LambdaState,
  type LocalFunctionRunner,
  nameTable,
} from '../state/index.js';
import { writeAlias } from './aliases.js';
import { appendVersion, applySettings, newFunctionRecord, runnerSha256 } from './configuration.js';
import { functionArn, type LambdaScope } from './names.js';

/** A local function to create (or update) without the API: its runner, settings, versions and aliases. */
export interface FunctionSeed {
  name: string;
  /** What plays the function when it is invoked; functions without one fail their invocations. */
  runner?: LocalFunctionRunner;
  /** Default nodejs20.x. */
  runtime?: string;
  /** Default index.handler (informational: the runner decides what runs). */
  handler?: string;
  description?: string;
  /** Seconds an invocation may run; default 60 for seeded functions (Lambda's own default, 3, is tight for a hook that loads an SDK). */
  timeout?: number;
  memorySize?: number;
  /** The function's environment variables (given to its runner). */
  environment?: Record<string, string>;
  /** Versions to publish, oldest first, numbered after the function's last one. */
  versions?: VersionSeed[];
  /** Aliases to create or repoint once the versions exist. */
  aliases?: AliasSeed[];
}

/** A published version of a seeded function: $LATEST's settings with its own runner (default the function's). */
export interface VersionSeed {
  runner?: LocalFunctionRunner;
  description?: string;
}

export interface AliasSeed {
  name: string;
  /** A version number or `$LATEST`. */
  version: string;
  /** Additional versions and their weights as fractions (0.1 = 10 %), as UpdateAlias's RoutingConfig. */
  additionalVersionWeights?: Record<string, number>;
  description?: string;
}

/** What seeding a function made. */
export interface SeededFunction {
  functionName: string;
  functionArn: string;
  /** The version numbers this seed published, in order. */
  versions: string[];
  /** Alias ARNs by alias name. */
  aliasArns: Record<string, string>;
}

/** Seeded functions run up to a minute unless told otherwise. */
const SEED_TIMEOUT_SECONDS = 60;

/**
 * Creates the function, or updates the one there ($LATEST's settings and runner; its versions and
 * aliases are kept), then publishes the seed's versions and points its aliases. Call inside
 * `store.update`; LambdaError (an alias to an unknown version...) leaves partial changes for the
 * caller to roll back.
 */
export function putFunction(
  state: LambdaState,
  scope: LambdaScope,
  seed: FunctionSeed,
  now: Date,
): SeededFunction {
  const settings = {
    ...(seed.runtime !== undefined ? { runtime: seed.runtime } : {}),
    ...(seed.handler !== undefined ? { handler: seed.handler } : {}),
    ...(seed.description !== undefined ? { description: seed.description } : {}),
    ...(seed.timeout !== undefined ? { timeout: seed.timeout } : {}),
    ...(seed.memorySize !== undefined ? { memorySize: seed.memorySize } : {}),
    ...(seed.environment !== undefined ? { environment: seed.environment } : {}),
  };
  let fn: LambdaFunctionRecord | undefined = state.functions[seed.name];
  if (fn) {
    applySettings(fn.latest, settings, now);
    if (seed.runner) {
      fn.latest.runner = structuredClone(seed.runner);
      if (!fn.latest.codeFile) fn.latest.configuration.CodeSha256 = runnerSha256(seed.runner);
    }
  } else {
    fn = newFunctionRecord(
      scope,
      { timeout: SEED_TIMEOUT_SECONDS, ...settings, name: seed.name },
      { sha256: runnerSha256(seed.runner), size: 0 },
      seed.runner && structuredClone(seed.runner),
      now,
    );
    state.functions[seed.name] = fn;
  }
  const versions = (seed.versions ?? []).map(
    (version) =>
      appendVersion(scope, fn, version.runner ?? fn.latest.runner, version.description, now).configuration
        .Version ?? '',
  );
  const aliasArns = nameTable<string>();
  for (const alias of seed.aliases ?? []) {
    const written = writeAlias(
      scope,
      fn,
      alias.name,
      { functionVersion: alias.version, weights: alias.additionalVersionWeights ?? {} },
      alias.description,
    );
    aliasArns[alias.name] = written.AliasArn ?? '';
  }
  return { functionName: seed.name, functionArn: functionArn(scope, seed.name), versions, aliasArns };
}
