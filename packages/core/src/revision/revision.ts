import {
  type BundleType,
  type CodeDeployClient,
  RegisterApplicationRevisionCommand,
  type RevisionLocation,
  type S3Location,
} from '@aws-sdk/client-codedeploy';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';
import type { BundleExtension, UploadResult } from '../s3/index.js';

/** The CodeDeploy revision for an uploaded bundle; `version` only when the bucket is versioned. */
export function s3Revision(upload: UploadResult, bundleType: BundleExtension): RevisionLocation {
  const s3Location: S3Location = {
    bucket: upload.bucket,
    key: upload.key,
    bundleType: bundleType satisfies BundleType,
    eTag: upload.eTag,
  };
  if (upload.versionId !== undefined) s3Location.version = upload.versionId;
  return { revisionType: 'S3', s3Location };
}

export interface RegisterRevisionInput {
  client: CodeDeployClient;
  application: string;
  revision: RevisionLocation;
  description?: string;
  signal?: AbortSignal;
}

/** Registers `revision` with the application (RegisterApplicationRevision), like `aws deploy push`. */
export async function registerRevision(input: RegisterRevisionInput): Promise<void> {
  const command = new RegisterApplicationRevisionCommand({
    applicationName: input.application,
    revision: input.revision,
    ...(input.description !== undefined && { description: input.description }),
  });
  try {
    await input.client.send(command, input.signal ? { abortSignal: input.signal } : {});
  } catch (error) {
    input.signal?.throwIfAborted();
    throw wrapAwsError(`registering revision with application ${input.application}`, error);
  }
}

/**
 * The `--s3-location` arguments of `aws deploy create-deployment` for an S3 revision, as argv entries:
 * `['--s3-location', 'bucket=B,key=K,bundleType=zip,eTag=E[,version=V]']`.
 */
export function revisionToCreateDeploymentArgs(revision: RevisionLocation): string[] {
  const location = revision.s3Location;
  if (revision.revisionType !== 'S3' || !location?.bucket || !location.key || !location.bundleType) {
    throw new InvalidInputError('Only S3 revisions with a bucket, key and bundle type can be shown', {
      hint: 'Upload the bundle to S3 first.',
    });
  }
  const fields: Array<[string, string | undefined]> = [
    ['bucket', location.bucket],
    ['key', location.key],
    ['bundleType', location.bundleType],
    ['eTag', location.eTag],
    ['version', location.version],
  ];
  const shorthand = fields
    .filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  return ['--s3-location', shorthand];
}

/**
 * The command a human would run next, as `aws deploy push` prints it; shell-quoted where needed, with
 * placeholders for what we do not know.
 */
export function createDeploymentCommand(input: {
  application: string;
  revision: RevisionLocation;
  deploymentGroup?: string;
  description?: string;
}): string {
  const args = [
    'aws',
    'deploy',
    'create-deployment',
    '--application-name',
    input.application,
    ...revisionToCreateDeploymentArgs(input.revision),
    '--deployment-group-name',
    input.deploymentGroup ?? '<deployment-group-name>',
  ];
  if (input.description !== undefined) args.push('--description', input.description);
  return args.map((arg) => (arg.startsWith('<') && arg.endsWith('>') ? arg : shellQuote(arg))).join(' ');
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@+%-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
