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
import { type BundleFormat, type BundleProgress, writeBundle } from '../bundle/index.js';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';
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
  parseS3Url,
  type S3Url,
  type UploadBundleInput,
  type UploadProgress,
  uploadBundle,
} from '../s3/index.js';
import type { RevisionValidation } from '../validation/index.js';

export type PushProgress =
  | { stage: 'checking'; application: string }
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
  description: string;
  revision: RevisionLocation;
  validation: RevisionValidation;
  /** As reported in the `packaged` progress stage. */
  notices: PackagingNotice[];
}

/**
 * `codedeploy-gate push`: validates DIR (as `package` does), checks the application exists, packages
 * DIR, uploads the bundle to a content-addressed key (skipped when that exact bundle is already there)
 * and registers it as an application revision. Every check that needs no AWS runs before the first
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

  const workDir = await mkdtemp(join(tmpdir(), 'codedeploy-gate-push-'));
  try {
    const bundleFile = join(workDir, `revision.${format}`);
    const bundle = await writeBundle(checked.scan, bundleFile, {
      ...options,
      format,
      onProgress: (p) => report({ stage: 'bundling', ...p }),
    });
    const notices = packagingNotices(checked.scan);
    report({ stage: 'packaged', notices });
    const key = contentAddressedKey(target.key, bundle.sha256, format, options.application);
    const upload = await uploadBundle({
      client: s3,
      file: bundle.file,
      sha256: bundle.sha256,
      bucket: target.bucket,
      key,
      onProgress: (p) => report({ stage: 'uploading', key, ...p }),
      ...(options.serverSideEncryption ? { serverSideEncryption: options.serverSideEncryption } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const revision = s3Revision(upload, format);
    const description =
      options.description ??
      `Pushed by codedeploy-gate from ${basename(checked.scan.root)} (sha256 ${bundle.sha256.slice(0, 12)})`;
    report({ stage: 'registering', application: options.application });
    await registerRevision({ client: codeDeploy, application: options.application, revision, description });
    return {
      application: options.application,
      bucket: upload.bucket,
      key: upload.key,
      bundleType: format,
      eTag: upload.eTag,
      versionId: upload.versionId,
      sha256: bundle.sha256,
      size: bundle.size,
      files: bundle.files,
      uploaded: upload.uploaded,
      description,
      revision,
      validation: checked.validation,
      notices,
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
