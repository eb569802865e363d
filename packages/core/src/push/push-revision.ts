import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  type CodeDeployClient,
  GetApplicationCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsClientOptions, createCodeDeployClient } from '../aws/index.js';
import { createS3Client } from '../aws/s3-client.js';
import {
  type BundleFormat,
  type BundleProgress,
  bundleFingerprint,
  ContentHashCache,
  defaultContentCacheDir,
  filesChangedSinceScan,
  fingerprintSettings,
  hashContents,
  writeBundle,
} from '../bundle/index.js';
import { AwsError, InvalidInputError, wrapAwsError } from '../errors/index.js';
import {
  type CheckedRevision,
  checkRevisionFolder,
  type PackageOptions,
  type PackagingNotice,
  packagingNotices,
} from '../packaging/index.js';
import { registerRevision, s3Revision } from '../revision/index.js';
import {
  contentAddressedKey,
  FINGERPRINT_METADATA_KEY,
  type FingerprintLocation,
  type FoundBundle,
  findBundleByFingerprint,
  parseS3Url,
  recordFingerprint,
  type S3Url,
  type UploadBundleInput,
  type UploadProgress,
  uploadBundle,
} from '../s3/index.js';
import type { RevisionValidation } from '../validation/index.js';

export type PushProgress =
  | { stage: 'checking'; application: string }
  /** Reading the files to fingerprint the tree (see `bundleFingerprint`). */
  | { stage: 'fingerprinting'; files: number }
  /** An earlier push uploaded the bundle of this exact tree: nothing is built or uploaded. */
  | { stage: 'unchanged'; key: string; fingerprint: string }
  | ({ stage: 'bundling' } & BundleProgress)
  /** The bundle is written; `notices` are for the user (paths skipped by default, outside hard links). */
  | { stage: 'packaged'; notices: PackagingNotice[] }
  | ({ stage: 'uploading'; key: string } & UploadProgress)
  | { stage: 'registering'; application: string };

export interface PushOptions extends Omit<PackageOptions, 'format' | 'onProgress'>, AwsClientOptions {
  application: string;
  /** `s3://BUCKET/PREFIX`: the bundle goes to a content-addressed key below PREFIX. */
  s3Location: string;
  format?: BundleFormat;
  description?: string;
  /** Server-side encryption of the uploaded bundle (default: the bucket's). */
  serverSideEncryption?: UploadBundleInput['serverSideEncryption'];
  clients?: { s3?: S3Client; codeDeploy?: CodeDeployClient };
  /**
   * Builds and uploads the bundle even when S3 already holds the bundle of this tree (by fingerprint,
   * or by SHA-256 at its key). Default false.
   */
  forceUpload?: boolean;
  /**
   * Folder of the local content-hash cache, which lets a push of an unchanged tree fingerprint it
   * without reading every file; `false` disables it. Default: `defaultContentCacheDir(env)`
   * (`$XDG_CACHE_HOME` or `~/.cache`, off when `CODEDEPLOY_GATE_NO_CACHE` is set).
   */
  contentCache?: string | false;
  onProgress?: (progress: PushProgress) => void;
}

export interface PushResult {
  application: string;
  bucket: string;
  key: string;
  bundleType: BundleFormat;
  eTag: string;
  versionId: string | undefined;
  sha256: string;
  size: number;
  files: number;
  /** False when the same bundle was already in S3 and nothing was uploaded. */
  uploaded: boolean;
  /**
   * False when an earlier push had uploaded the bundle of this exact tree (same fingerprint) and it
   * was not built again: `sha256`, `size`, `key` and `eTag` are then those of the bundle in S3.
   */
  bundled: boolean;
  /** SHA-256 of what decides the bundle's bytes: the entries, their contents and the settings. */
  fingerprint: string;
  /**
   * Whether S3 now holds this fingerprint's pointer, so the next push of the same tree builds nothing.
   * False when a file changed while it was bundled, or when the pointer could not be written (the
   * push itself still succeeds: the pointer only saves work).
   */
  fingerprintRecorded: boolean;
  /**
   * Files read to fingerprint the tree; the others' hashes came from the content-hash cache (0 on
   * an unchanged re-push with a warm cache).
   */
  filesHashed: number;
  description: string;
  revision: RevisionLocation;
  validation: RevisionValidation;
  /** As reported in the `packaged` progress stage. */
  notices: PackagingNotice[];
}

/**
 * `codedeploy-gate push`: validates DIR (as `package` does), checks the application exists, packages
 * DIR, uploads the bundle to a content-addressed key (skipped when that exact bundle is already there)
 * and registers it as an application revision. Before packaging, it fingerprints the tree (one read
 * of every file, see `bundleFingerprint`); when an earlier push recorded that fingerprint in S3 and
 * its bundle is still there, nothing is built or uploaded and that bundle is registered. Every check that needs no AWS runs before the first
 * request, and every check that can fail on user input before anything is uploaded.
 */
export async function pushRevision(dir: string, options: PushOptions): Promise<PushResult> {
  checkPushOptions(options);
  return pushCheckedRevision(await checkRevisionFolder(dir, options), options);
}

/**
 * The AWS half of {@link pushRevision}, for a folder {@link checkRevisionFolder} already accepted:
 * `deploy` checks its folder before its first request, then pushes it once the group is known.
 */
export async function pushCheckedRevision(
  checked: CheckedRevision,
  options: PushOptions,
): Promise<PushResult> {
  const format = options.format ?? 'zip';
  const target = checkPushOptions(options);
  const s3 = options.clients?.s3 ?? createS3Client(options);
  const codeDeploy = options.clients?.codeDeploy ?? createCodeDeployClient(options);
  const report = options.onProgress ?? (() => {});

  report({ stage: 'checking', application: options.application });
  await assertApplicationExists(codeDeploy, options.application, options.signal);

  const settings = fingerprintSettings({ ...options, format });
  report({ stage: 'fingerprinting', files: checked.scan.entries.length });
  const cacheDir = options.contentCache ?? defaultContentCacheDir(options.env ?? process.env);
  const cache =
    cacheDir === false || cacheDir === undefined
      ? undefined
      : await ContentHashCache.open(cacheDir, checked.scan.root);
  const where = {
    client: s3,
    bucket: target.bucket,
    prefix: target.key,
    name: options.application,
    format,
    fingerprint: '',
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const lookUp = (fingerprint: string) =>
    options.forceUpload === true ? undefined : findBundleByFingerprint({ ...where, fingerprint });
  let content = await hashContents(checked.scan, { cache, signal: options.signal });
  let filesHashed = content.hashes.size - content.fromCache.size;
  where.fingerprint = bundleFingerprint(checked.scan.entries, content.hashes, settings);
  let found = await lookUp(where.fingerprint);
  if (found === undefined && content.fromCache.size > 0) {
    // The cache may only say "unchanged": a tree to build is fingerprinted from its files as they
    // are now, so that the pointer recorded for it describes the bytes in its bundle.
    cache?.forget(content.fromCache);
    const read = new Map([...content.hashes].filter(([path]) => !content.fromCache.has(path)));
    content = await hashContents(checked.scan, { cache, read, signal: options.signal });
    filesHashed = content.hashes.size;
    const fresh = bundleFingerprint(checked.scan.entries, content.hashes, settings);
    if (fresh !== where.fingerprint) {
      where.fingerprint = fresh;
      found = await lookUp(fresh);
    }
  }
  await cache?.save();
  const fingerprint = where.fingerprint;
  const notices = packagingNotices(checked.scan);
  let built: BuiltBundle;
  if (found !== undefined) {
    report({ stage: 'unchanged', key: found.upload.key, fingerprint });
    report({ stage: 'packaged', notices });
    built = fromFound(found, checked.scan.entries.filter((e) => e.type === 'file').length, fingerprint);
  } else {
    built = await buildAndUpload(checked, options, { format, target, s3, report, notices, where });
  }
  const revision = s3Revision(built, format);
  const description =
    options.description ??
    `Pushed by codedeploy-gate from ${basename(checked.scan.root)} (sha256 ${built.sha256.slice(0, 12)})`;
  report({ stage: 'registering', application: options.application });
  await registerRevision({ client: codeDeploy, application: options.application, revision, description });
  return {
    application: options.application,
    bundleType: format,
    ...built,
    filesHashed,
    description,
    revision,
    validation: checked.validation,
    notices,
  };
}

type BuiltBundle = Omit<
  PushResult,
  'application' | 'bundleType' | 'description' | 'revision' | 'validation' | 'notices' | 'filesHashed'
>;

function fromFound(found: FoundBundle, files: number, fingerprint: string): BuiltBundle {
  const { upload, sha256 } = found;
  return {
    bucket: upload.bucket,
    key: upload.key,
    eTag: upload.eTag,
    versionId: upload.versionId,
    sha256,
    size: upload.size,
    files,
    uploaded: false,
    bundled: false,
    fingerprint,
    fingerprintRecorded: true,
  };
}

/**
 * Builds the bundle from the files as they are now (never from the fingerprint's hashes), uploads it
 * with its fingerprint as metadata, and records the fingerprint's pointer when no file changed since
 * the scan, so a later push of the same tree can skip all of this.
 */
async function buildAndUpload(
  checked: CheckedRevision,
  options: PushOptions,
  context: {
    format: BundleFormat;
    target: S3Url;
    s3: S3Client;
    report: (progress: PushProgress) => void;
    notices: PackagingNotice[];
    where: FingerprintLocation;
  },
): Promise<BuiltBundle> {
  const { format, target, s3, report, where } = context;
  const workDir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-push-'));
  try {
    const bundleFile = join(workDir, `revision.${format}`);
    const bundle = await writeBundle(checked.scan, bundleFile, {
      ...options,
      format,
      onProgress: (p) => report({ stage: 'bundling', ...p }),
    });
    report({ stage: 'packaged', notices: context.notices });
    const key = contentAddressedKey(target.key, bundle.sha256, format, options.application);
    const sse = options.serverSideEncryption ? { serverSideEncryption: options.serverSideEncryption } : {};
    const upload = await uploadBundle({
      client: s3,
      file: bundle.file,
      sha256: bundle.sha256,
      bucket: target.bucket,
      key,
      metadata: { [FINGERPRINT_METADATA_KEY]: where.fingerprint },
      force: options.forceUpload === true,
      onProgress: (p) => report({ stage: 'uploading', key, ...p }),
      ...sse,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // A file written while it was hashed or bundled may make the bundle differ from the fingerprint:
    // then no pointer, and the next push builds again.
    let fingerprintRecorded = false;
    if ((await filesChangedSinceScan(checked.scan)).length === 0) {
      try {
        await recordFingerprint({ ...where, sha256: bundle.sha256, ...sse });
        fingerprintRecorded = true;
      } catch (error) {
        // The bundle is uploaded and about to be registered; a role that may write only bundle keys
        // (or a failing request) costs the next push a rebuild, not this push its deployment.
        options.signal?.throwIfAborted();
        if (!(error instanceof AwsError)) throw error;
      }
    }
    return {
      bucket: upload.bucket,
      key: upload.key,
      eTag: upload.eTag,
      versionId: upload.versionId,
      sha256: bundle.sha256,
      size: bundle.size,
      files: bundle.files,
      uploaded: upload.uploaded,
      bundled: true,
      fingerprint: where.fingerprint,
      fingerprintRecorded,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The push settings that need no AWS to check: the S3 location, and an application name. */
export function checkPushOptions(options: Pick<PushOptions, 'application' | 's3Location'>): S3Url {
  const target = parseS3Url(options.s3Location);
  if (options.application.trim() === '') {
    throw new InvalidInputError('the application name is empty', {
      hint: 'Name the CodeDeploy application.',
    });
  }
  return target;
}

/**
 * Fails before bundling and uploading when the application does not exist, so a typo costs nothing.
 * A role that may register revisions but not read applications is let through: registration itself
 * will say what is wrong.
 */
async function assertApplicationExists(client: CodeDeployClient, application: string, signal?: AbortSignal) {
  try {
    await client.send(
      new GetApplicationCommand({ applicationName: application }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'AccessDeniedException') return;
    if (name === 'ApplicationDoesNotExistException') {
      throw new InvalidInputError(`CodeDeploy application "${application}" does not exist`, {
        hint: 'Create it first (aws deploy create-application --application-name NAME) or fix the application name.',
        cause: error,
      });
    }
    throw wrapAwsError(`checking CodeDeploy application "${application}"`, error);
  }
}
