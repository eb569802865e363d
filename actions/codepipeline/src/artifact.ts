import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Artifact, JobData } from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type AwsClientOptions,
  createS3Client,
  extractBundle,
  InvalidInputError,
  type RevisionSource,
  wrapAwsError,
} from '@codedeploy-gate/core';

/** The input artifact as a revision, and what to clean up afterwards. */
export interface ArtifactRevision {
  source: RevisionSource;
  /** An S3 client with the job's artifact credentials, for reading the artifact itself. */
  s3: S3Client;
  cleanup(): Promise<void>;
}

/** An input artifact the job does not have (or cannot read): the job fails as RevisionUnavailable. */
export class ArtifactUnavailableError extends InvalidInputError {}

/**
 * The job's one input artifact, as CodeDeploy should deploy it. Without a BundlePath the artifact's
 * own S3 object is the revision (CodePipeline stores artifacts as zip files): nothing is copied.
 * With one, the artifact is downloaded with the job's artifact credentials, the folder is taken out of
 * it, and core packages and pushes it (to the artifact bucket, encrypted with the pipeline's KMS key
 * when it has one) as `deploy` does with a folder.
 */
export async function artifactRevision(
  data: JobData,
  bundlePath: string | undefined,
  aws: AwsClientOptions,
  signal?: AbortSignal,
): Promise<ArtifactRevision> {
  const artifacts = data.inputArtifacts ?? [];
  const location = artifacts[0]?.location?.s3Location;
  if (artifacts.length !== 1 || !location?.bucketName || !location.objectKey) {
    throw new InvalidInputError(
      `the action needs exactly one input artifact in S3, and the job has ${artifacts.length}; nothing was created`,
      {
        hint: "Give the action one input artifact (the source or build output to deploy) in the pipeline's definition; more than one is for a RevisionSpec's images.",
      },
    );
  }
  const s3 = artifactClient(data, aws);
  const url = `s3://${location.bucketName}/${location.objectKey}`;
  if (bundlePath === undefined) {
    return { source: { kind: 's3', url, bundleType: 'zip' }, s3, cleanup: async () => s3.destroy() };
  }
  let unpacked: UnpackedArtifact | undefined;
  try {
    unpacked = await unpack(s3, artifacts[0] as Artifact, signal);
    const dir = await folderIn(unpacked, bundlePath);
    const pipelineName = data.pipelineContext?.pipelineName ?? 'pipeline';
    const kms = data.encryptionKey?.type === 'KMS' ? data.encryptionKey.id : undefined;
    const cleanup = unpacked.cleanup;
    return {
      source: {
        kind: 'folder',
        dir,
        s3Location: `s3://${location.bucketName}/codedeploy-gate/${pipelineName}/`,
        ...(kms ? { serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: kms } } : {}),
      },
      s3,
      cleanup: async () => {
        s3.destroy();
        await cleanup();
      },
    };
  } catch (error) {
    s3.destroy();
    await unpacked?.cleanup();
    throw error;
  }
}

/** An input artifact downloaded and unzipped into a temporary folder. */
export interface UnpackedArtifact {
  /** The artifact's name in the pipeline (`Release`). */
  name: string;
  /** Its files. */
  dir: string;
  /** Its top-level entries, for a hint when a path is not in it. */
  topLevel(): Promise<string>;
  cleanup(): Promise<void>;
}

/**
 * Downloads and unzips an input artifact of the job: the first one (where a RevisionSpec and a
 * ContinueAfter check are read from and run), or the one named (an image's imageDetail.json).
 */
export async function unpackArtifact(
  data: JobData,
  aws: AwsClientOptions,
  options: { name?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<UnpackedArtifact> {
  const artifacts = data.inputArtifacts ?? [];
  const artifact = options.name === undefined ? artifacts[0] : artifacts.find((a) => a.name === options.name);
  if (artifact === undefined) {
    const names = artifacts.map((a) => a.name).join(', ');
    throw new InvalidInputError(
      options.name === undefined
        ? 'the action has no input artifact; nothing was created'
        : `there is no input artifact ${options.name} (the action has ${names || 'none'}); nothing was created`,
      {
        hint:
          options.name === undefined
            ? "Give the action the artifact to deploy as its first input artifact in the pipeline's definition."
            : `Add ${options.name} to the action's input artifacts, or name one of ${names || 'its artifacts'}.`,
      },
    );
  }
  const s3 = artifactClient(data, aws);
  try {
    return await unpack(s3, artifact, options.signal);
  } finally {
    s3.destroy();
  }
}

async function unpack(
  s3: S3Client,
  artifact: Artifact,
  signal: AbortSignal | undefined,
): Promise<UnpackedArtifact> {
  const location = artifact.location?.s3Location;
  const name = artifact.name ?? '';
  if (!location?.bucketName || !location.objectKey) {
    throw new ArtifactUnavailableError(`the input artifact ${name} is not in S3`, {
      hint: 'CodePipeline keeps artifacts in its S3 artifact store; check the pipeline definition.',
    });
  }
  const work = await mkdtemp(join(tmpdir(), 'codedeploy-gate-artifact-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    const zip = join(work, 'artifact.zip');
    await download(s3, location.bucketName, location.objectKey, zip, signal);
    const dir = join(work, 'artifact');
    await extractBundle(zip, dir, signal ? { signal } : {});
    await rm(zip, { force: true });
    return {
      name,
      dir,
      topLevel: async () => (await readdir(dir)).sort().slice(0, 20).join(', ') || '(nothing)',
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** `bundlePath` inside the unpacked artifact, checked to be a folder. */
async function folderIn(artifact: UnpackedArtifact, bundlePath: string): Promise<string> {
  const dir = join(artifact.dir, bundlePath);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new InvalidInputError(
      `BundlePath "${bundlePath}" is not a folder in the input artifact ${artifact.name}; nothing was created`,
      {
        hint: `The artifact's top level holds: ${await artifact.topLevel()}. Fix BundlePath, or leave it empty.`,
      },
    );
  }
  return dir;
}

/** S3 with the job's temporary artifact credentials (scoped by CodePipeline to its artifacts). */
function artifactClient(data: JobData, aws: AwsClientOptions): S3Client {
  const credentials = data.artifactCredentials;
  if (!credentials?.accessKeyId || !credentials.secretAccessKey) return createS3Client(aws);
  return createS3Client({
    ...aws,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  });
}

async function download(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    await pipeline(object.Body as Readable, createWriteStream(file), signal ? { signal } : {});
  } catch (error) {
    signal?.throwIfAborted();
    const name = (error as Error).name;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'AccessDenied') {
      throw new ArtifactUnavailableError(
        `the input artifact s3://${bucket}/${key} cannot be read (${name})`,
        {
          hint: 'The artifact store or its object is gone, or the job credentials do not reach it.',
          cause: error,
        },
      );
    }
    throw wrapAwsError(`downloading the input artifact s3://${bucket}/${key}`, error);
  }
}
