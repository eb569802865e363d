import { createHash } from 'node:crypto';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { LAMBDA_HOOK_EVENTS } from '../appspec/hook-events.js';
import { assertValidBuiltAppspec } from '../appspec/write.js';
import { InvalidInputError } from '../errors/index.js';
import { type Clock, realClock } from '../gate/clock.js';
import type { BuildProgress, LambdaRevisionSource } from '../gate/revision-source.js';
import type { LambdaRevisionReport } from '../report/model.js';
import { buildLambdaAppspec } from './lambda-appspec.js';
import {
  assertHookFunctionsExist,
  functionConfiguration,
  getAlias,
  publishVersion,
  updateFunctionCode,
  waitForUpdate,
} from './lambda-calls.js';
import { checkLambdaSource, currentVersionOf, readLambdaZip } from './lambda-checks.js';

export interface LambdaRevisionOptions extends BuildProgress {
  lambda: LambdaClient;
  signal?: AbortSignal | undefined;
  clock?: Clock | undefined;
  /** Between looks at a code update in progress. Default 1 s. */
  pollMs?: number | undefined;
  /** How long a code update may take before we give up. Default 5 minutes. */
  updateLimitMs?: number | undefined;
  /** The code package, already read from `zipFile` (by `deployAndGate`, before its first request). */
  zip?: Uint8Array | undefined;
}

export interface BuiltLambdaRevision {
  /** AppSpecContent: the built AppSpec and its SHA-256. */
  revision: RevisionLocation;
  lambda: LambdaRevisionReport;
  /** The AppSpec text (YAML or JSON as asked). */
  appspec: string;
}

/** What the read-only half of a Lambda revision found: the function, the alias's version, the target. */
export interface PreparedLambdaRevision {
  /** The function's $LATEST configuration (what a published version would copy). */
  latest: FunctionConfiguration;
  /** The version the alias points to now. */
  currentVersion: string;
  /** The given target version's configuration (absent when a version is still to be published). */
  target?: FunctionConfiguration;
  /** The code package, when one was given. */
  zip?: Uint8Array;
  /** `fn:alias`, for messages. */
  what: string;
  hint: string;
}

/**
 * Reads and checks everything a Lambda revision needs, changing nothing: the function, the alias
 * (refusing one already mid-shift), the target version or code package, the hook functions and the
 * AppSpec (with a placeholder for a version still to come). `plan` stops here; `lambdaRevision` goes on.
 */
export async function prepareLambdaRevision(
  source: LambdaRevisionSource,
  options: LambdaRevisionOptions,
): Promise<PreparedLambdaRevision> {
  const { lambda, signal } = options;
  checkLambdaSource(source);
  const fn = source.functionName;
  const what = `${fn}:${source.alias}`;
  options.onCheck?.(`Lambda function ${fn}, alias ${source.alias}`);

  const latest = await functionConfiguration(lambda, fn, undefined, signal);
  if (latest === undefined) {
    throw new InvalidInputError(`Lambda function ${fn} does not exist; nothing was created`, {
      hint: 'Fix the function name (or ARN) and the region: functions are regional.',
    });
  }
  const currentVersion = currentVersionOf(await getAlias(lambda, fn, source.alias, signal), fn, source.alias);

  let target: FunctionConfiguration | undefined;
  if (source.targetVersion !== undefined) {
    if (source.targetVersion === currentVersion) throw nothingToShift(what, currentVersion, 'given');
    target = await functionConfiguration(lambda, fn, source.targetVersion, signal);
    if (target === undefined) {
      throw new InvalidInputError(
        `Lambda function ${fn} has no version ${source.targetVersion}; nothing was created`,
        {
          hint: `Give a published version (aws lambda list-versions-by-function --function-name ${fn}), or leave the version out to publish one.`,
        },
      );
    }
  }
  const zip = options.zip ?? (source.zipFile === undefined ? undefined : await readLambdaZip(source.zipFile));
  await assertHookFunctionsExist(lambda, source.hooks, LAMBDA_HOOK_EVENTS, signal);
  const hint =
    'Check the function, alias and hook function names; they are written into the AppSpec as given.';
  // The version to come is unknown yet; any other number shows whether the rest is valid.
  const placeholder = String(Number(currentVersion) + 1);
  assertValidBuiltAppspec(
    buildLambdaAppspec({
      functionName: fn,
      alias: source.alias,
      currentVersion,
      targetVersion: source.targetVersion ?? placeholder,
      hooks: source.hooks,
    }),
    'lambda',
    what,
    hint,
  );
  return { latest, currentVersion, what, hint, ...(target ? { target } : {}), ...(zip ? { zip } : {}) };
}

/**
 * The revision of a Lambda deployment: everything {@link prepareLambdaRevision} checks, and only then
 * — when no version was given — uploads the zip and publishes a version (or publishes $LATEST). Every
 * check that can fail on input runs before anything is changed.
 */
export async function lambdaRevision(
  source: LambdaRevisionSource,
  options: LambdaRevisionOptions,
): Promise<BuiltLambdaRevision> {
  const { lambda, signal } = options;
  const fn = source.functionName;
  const { latest, currentVersion, zip, what, hint } = await prepareLambdaRevision(source, options);

  let targetVersion = source.targetVersion;
  let origin: LambdaRevisionReport['origin'] = 'given';
  if (targetVersion === undefined) {
    const clock = options.clock ?? realClock;
    const waitSettings = {
      clock,
      pollMs: options.pollMs ?? 1_000,
      limitMs: options.updateLimitMs ?? 5 * 60_000,
      signal,
    };
    // The code to publish is ours (the hash UpdateFunctionCode answered) or the $LATEST we looked at.
    let guard: { codeSha256?: string | undefined; revisionId?: string | undefined };
    if (zip !== undefined && source.zipFile !== undefined) {
      // An update already running refuses another (ResourceConflictException): let it finish first.
      if (latest.LastUpdateStatus === 'InProgress') await waitForUpdate(lambda, fn, waitSettings);
      options.onChange?.(`updating the code of ${fn} from ${source.zipFile}`);
      const updated = await updateFunctionCode(lambda, fn, zip, source.zipFile, signal);
      const settled = await waitForUpdate(lambda, fn, waitSettings);
      guard = { codeSha256: updated.CodeSha256, revisionId: settled.RevisionId };
      origin = 'uploaded';
    } else {
      // Publishing while an update runs fails (ResourceConflictException): let it finish first.
      const settled =
        latest.LastUpdateStatus === 'InProgress' ? await waitForUpdate(lambda, fn, waitSettings) : latest;
      guard = { codeSha256: settled.CodeSha256, revisionId: settled.RevisionId };
      origin = 'published';
    }
    const version = await publishVersion(lambda, fn, guard, signal);
    targetVersion = version.Version ?? '';
    // Lambda publishes nothing new when $LATEST equals the last version: it answers that version.
    if (targetVersion === currentVersion) throw nothingToShift(what, currentVersion, origin);
    options.onChange?.(`published version ${targetVersion} of ${fn}`);
  }

  const appspec = buildLambdaAppspec(
    { functionName: fn, alias: source.alias, currentVersion, targetVersion, hooks: source.hooks },
    source.appspecFormat ?? 'yaml',
  );
  assertValidBuiltAppspec(appspec, 'lambda', what, hint);
  const sha256 = createHash('sha256').update(appspec).digest('hex');
  return {
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appspec, sha256 } },
    lambda: { functionName: fn, alias: source.alias, currentVersion, targetVersion, origin },
    appspec,
  };
}

function nothingToShift(
  what: string,
  version: string,
  origin: LambdaRevisionReport['origin'],
): InvalidInputError {
  const why =
    origin === 'given'
      ? `the target version is ${version}, which ${what} already points to`
      : `the function's code and configuration are those of version ${version}, which ${what} already points to`;
  return new InvalidInputError(`nothing to deploy: ${why}; no deployment was created`, {
    hint:
      origin === 'given'
        ? 'Give the version to shift to (a newer one), or leave it out to publish the current code.'
        : 'Change the code (a new zip) or the configuration first, or give another published version.',
  });
}
