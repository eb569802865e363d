import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { extractBundle } from '@codedeploy-gate/core';
import type { DeploymentPaths } from './layout.js';

const execFileAsync = promisify(execFile);

export interface DownloadOptions {
  endpoint: string;
  githubDir: string | undefined;
  signal: AbortSignal;
}

/**
 * DownloadBundle: fetches the revision to `bundle.tar` (whatever its type, as the agent names it) and
 * unpacks it into a fresh `deployment-archive/`.
 */
export async function downloadBundle(
  revision: RevisionLocation,
  paths: DeploymentPaths,
  options: DownloadOptions,
): Promise<void> {
  await mkdir(paths.root, { recursive: true });
  await rm(paths.bundle, { force: true });
  if (revision.revisionType === 'S3' && revision.s3Location !== undefined) {
    await downloadFromS3(revision.s3Location, paths.bundle, options);
  } else if (revision.revisionType === 'GitHub' && revision.gitHubLocation !== undefined) {
    await downloadFromGitHub(revision.gitHubLocation, paths.bundle, options);
  } else {
    throw new Error(
      `The local agent cannot download a revision of type ${revision.revisionType ?? 'unknown'}: EC2/on-premises deployments take S3 or GitHub revisions`,
    );
  }
  await unpackBundle(paths, options.signal);
}

async function downloadFromS3(
  location: NonNullable<RevisionLocation['s3Location']>,
  file: string,
  options: DownloadOptions,
): Promise<void> {
  const client = new S3Client({
    endpoint: options.endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const response = await client.send(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        ...(location.version === undefined ? {} : { VersionId: location.version }),
      }),
      { abortSignal: options.signal },
    );
    await pipeline(response.Body as Readable, createWriteStream(file), { signal: options.signal });
    const expected = location.eTag;
    const actual = response.ETag ?? '';
    if (expected !== undefined && expected.replaceAll('"', '') !== actual.replaceAll('"', '')) {
      throw new Error(`Expected deployment artifact bundle etag ${expected} but was actually ${actual}`);
    }
  } finally {
    client.destroy();
  }
}

/**
 * GitHub revisions come from `githubDir`: `<owner>/<repo>` as a git repository (its commit archived
 * with `git archive`), else a tarball `<owner>/<repo>/<commit>.tar.gz` as GitHub's tarball API gives it.
 */
async function downloadFromGitHub(
  location: NonNullable<RevisionLocation['gitHubLocation']>,
  file: string,
  options: DownloadOptions,
): Promise<void> {
  const repository = location.repository ?? '';
  const commit = location.commitId ?? '';
  if (options.githubDir === undefined) {
    throw new Error(
      `Cannot download the GitHub revision ${repository}@${commit}: the local agent has no GitHub folder`,
    );
  }
  const parts = repository.split('/');
  if (parts.length !== 2 || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`Invalid GitHub repository name ${JSON.stringify(repository)}: expected owner/repo`);
  }
  if (!/^[0-9A-Za-z._-]+$/.test(commit) || commit.startsWith('-')) {
    throw new Error(`Invalid GitHub commit id ${JSON.stringify(commit)}`);
  }
  const repoDir = join(options.githubDir, ...parts);
  const tarball = join(repoDir, `${commit}.tar.gz`);
  if (await exists(tarball)) {
    await copyFile(tarball, file);
    return;
  }
  if (!(await exists(repoDir))) {
    throw new Error(
      `Cannot download the GitHub revision ${repository}@${commit}: neither a git repository at ${repoDir} nor a tarball at ${tarball}`,
    );
  }
  try {
    await execFileAsync('git', ['-C', repoDir, 'archive', '--format=tar', '-o', file, commit, '--'], {
      signal: options.signal,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(
      `Cannot download the GitHub revision ${repository}@${commit} from ${repoDir}: ${stderr || (error as Error).message}`,
    );
  }
}

/**
 * Unpacks into a fresh `deployment-archive/`, then strips a single top-level folder that holds an
 * appspec, moving it into place as the agent's `unpack_bundle` does.
 */
async function unpackBundle(paths: DeploymentPaths, signal: AbortSignal): Promise<void> {
  await rm(paths.archive, { recursive: true, force: true });
  await extractBundle(paths.bundle, paths.archive, { signal });
  const top = await readdir(paths.archive, { withFileTypes: true });
  const only = top.length === 1 ? top[0] : undefined;
  if (only === undefined || !only.isDirectory()) return;
  const children = await readdir(join(paths.archive, only.name));
  if (!children.some((child) => /appspec/i.test(child))) return;
  const temporary = join(dirname(paths.archive), 'deployment-archive-temp');
  await rm(temporary, { recursive: true, force: true });
  await rename(paths.archive, temporary);
  await rename(join(temporary, only.name), paths.archive);
  await rm(temporary, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
