import { createHash, randomUUID } from 'node:crypto';
import type { FunctionConfiguration, Runtime } from '@aws-sdk/client-lambda';
import {
  type LambdaFunctionRecord,
  type LambdaVersionRecord,
  type LocalFunctionRunner,
  nameTable,
} from '../state/index.js';
import { functionArn, type LambdaScope } from './names.js';

/** The settings of a function that CreateFunction (or a seed) gives it. */
export interface FunctionSettings {
  name: string;
  runtime?: string;
  handler?: string;
  role?: string;
  description?: string;
  /** Seconds; Lambda's default is 3. */
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, string>;
}

/** Lambda's LastModified format: `2024-01-31T12:00:00.000+0000`. */
export function lastModified(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function newRevisionId(): string {
  return randomUUID();
}

/** Lambda's CodeSha256: the base64 SHA-256 of the code package. */
export function codeSha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * A function without a code package (seeded with only a runner) has its runner as its code: the
 * runner's SHA-256, so that changing the runner changes CodeSha256 as new code would.
 */
export function runnerSha256(runner: LocalFunctionRunner | undefined): string {
  return codeSha256(JSON.stringify(runner ?? null));
}

/** A new function's record: $LATEST only, Active, its last update Successful (nothing to wait for). */
export function newFunctionRecord(
  scope: LambdaScope,
  settings: FunctionSettings,
  code: { sha256: string; size: number; file?: string },
  runner: LocalFunctionRunner | undefined,
  now: Date,
): LambdaFunctionRecord {
  const configuration: FunctionConfiguration = {
    FunctionName: settings.name,
    FunctionArn: functionArn(scope, settings.name),
    // Any runtime name is kept as given: the runner, not the runtime, decides what runs locally.
    Runtime: (settings.runtime ?? 'nodejs20.x') as Runtime,
    Role: settings.role ?? `arn:aws:iam::${scope.accountId}:role/local-lambda-role`,
    Handler: settings.handler ?? 'index.handler',
    CodeSize: code.size,
    Description: settings.description ?? '',
    Timeout: settings.timeout ?? 3,
    MemorySize: settings.memorySize ?? 128,
    LastModified: lastModified(now),
    CodeSha256: code.sha256,
    Version: '$LATEST',
    ...(settings.environment ? { Environment: { Variables: { ...settings.environment } } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: newRevisionId(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${settings.name}` },
  };
  return {
    latest: { configuration, ...(runner ? { runner } : {}), ...(code.file ? { codeFile: code.file } : {}) },
    versions: nameTable(),
    aliases: nameTable(),
    lastVersion: 0,
  };
}

/** $LATEST's settings changed by a seed or CreateFunction-like update, keeping what was not given. */
export function applySettings(
  latest: LambdaVersionRecord,
  settings: Omit<FunctionSettings, 'name'>,
  now: Date,
): void {
  const c = latest.configuration;
  if (settings.runtime !== undefined) c.Runtime = settings.runtime as Runtime;
  if (settings.handler !== undefined) c.Handler = settings.handler;
  if (settings.role !== undefined) c.Role = settings.role;
  if (settings.description !== undefined) c.Description = settings.description;
  if (settings.timeout !== undefined) c.Timeout = settings.timeout;
  if (settings.memorySize !== undefined) c.MemorySize = settings.memorySize;
  if (settings.environment !== undefined) c.Environment = { Variables: { ...settings.environment } };
  c.LastModified = lastModified(now);
  c.RevisionId = newRevisionId();
}

/**
 * What makes two versions the same for PublishVersion: code, the settings that change behaviour, and
 * the local runner (Lambda does not publish when none of them changed since the last version).
 */
export function fingerprint(record: LambdaVersionRecord): string {
  const c = record.configuration;
  return JSON.stringify([
    c.CodeSha256,
    c.Runtime,
    c.Handler,
    c.Role,
    c.Timeout,
    c.MemorySize,
    c.Environment?.Variables ?? {},
    record.runner ?? null,
  ]);
}

/**
 * Publishes $LATEST as the next version, or returns the last version when nothing changed since it
 * was published. The version keeps a copy of $LATEST's runner: later changes do not reach it.
 */
export function publishLatest(
  scope: LambdaScope,
  fn: LambdaFunctionRecord,
  description: string | undefined,
  now: Date,
): LambdaVersionRecord {
  const last = fn.versions[String(fn.lastVersion)];
  if (last && fingerprint(last) === fingerprint(fn.latest)) return last;
  return appendVersion(scope, fn, fn.latest.runner, description, now);
}

/**
 * A new version from $LATEST's configuration and code with the given runner, whether or not anything
 * changed (seeds use it to lay out versions that differ only in what their runner does). A function
 * without a code package takes its runner's hash as CodeSha256.
 */
export function appendVersion(
  scope: LambdaScope,
  fn: LambdaFunctionRecord,
  runner: LocalFunctionRunner | undefined,
  description: string | undefined,
  now: Date,
): LambdaVersionRecord {
  fn.lastVersion += 1;
  const version = String(fn.lastVersion);
  const name = fn.latest.configuration.FunctionName ?? '';
  const record: LambdaVersionRecord = {
    configuration: {
      ...structuredClone(fn.latest.configuration),
      FunctionArn: functionArn(scope, name, version),
      Version: version,
      Description: description ?? fn.latest.configuration.Description ?? '',
      ...(fn.latest.codeFile ? {} : { CodeSha256: runnerSha256(runner) }),
      LastModified: lastModified(now),
      RevisionId: newRevisionId(),
    },
    ...(runner ? { runner: structuredClone(runner) } : {}),
    ...(fn.latest.codeFile ? { codeFile: fn.latest.codeFile } : {}),
  };
  fn.versions[version] = record;
  return record;
}
