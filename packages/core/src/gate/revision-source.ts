import { createHash } from 'node:crypto';
import type { BundleType, RevisionLocation, S3Location } from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BundleFormat } from '../bundle/index.js';
import { MAX_READ_SIZE } from '../bundle/read/types.js';
import { InvalidInputError, wrapAwsError } from '../errors/index.js';
import { readRegularFile } from '../files/index.js';
import type { UploadBundleInput } from '../s3/upload.js';
import { parseS3Url } from '../s3/url.js';
import { RevisionInvalidError } from '../validation/revision-invalid-error.js';

/** Where the revision of a deployment comes from: exactly one of these per deployment. */
export type RevisionSource =
  /** A folder, packaged and pushed to `s3Location` (a bucket and prefix) first, as `push` does. */
  | {
      kind: 'folder';
      dir: string;
      s3Location: string;
      format?: BundleFormat | undefined;
      exclude?: string[] | undefined;
      concurrency?: number | undefined;
      /** How the pushed bundle is encrypted (a CodePipeline artifact store's KMS key, say). */
      serverSideEncryption?: UploadBundleInput['serverSideEncryption'];
    }
  /** A bundle already in S3; the bundle type comes from the key's extension unless given. */
  | {
      kind: 's3';
      url: string;
      bundleType?: BundleType | undefined;
      eTag?: string | undefined;
      version?: string | undefined;
    }
  /** A commit of a GitHub repository (the CodeDeploy–GitHub connection fetches it). */
  | { kind: 'github'; repository: string; commitId: string }
  /** A Lambda or ECS AppSpec file, sent inline (AppSpecContent). */
  | { kind: 'appspec'; file: string }
  /** A Lambda function's alias shifted to a version (given, or published here); AppSpec built. */
  | LambdaRevisionSource
  /** An ECS service moved to a new task definition (registered here); AppSpec built. */
  | EcsRevisionSource;

/** What building a Lambda or ECS revision reports while it works. */
export interface BuildProgress {
  /** A read-only check is about to run (`Lambda function my-fn, alias live`). */
  onCheck?: ((detail: string) => void) | undefined;
  /** Something was created or changed (`published version 7 of my-fn`). */
  onChange?: ((detail: string) => void) | undefined;
}

/** Lifecycle hook functions (Lambda function names or ARNs) by AppSpec hook name. */
export type HookFunctions<Name extends string> = Partial<Record<Name, string>>;

export interface LambdaRevisionSource {
  kind: 'lambda';
  functionName: string;
  alias: string;
  /** Shift to this published version. Without it (and without zipFile), $LATEST is published. */
  targetVersion?: string | undefined;
  /** A new code package: UpdateFunctionCode, wait until updated, then PublishVersion. */
  zipFile?: string | undefined;
  hooks?: HookFunctions<'BeforeAllowTraffic' | 'AfterAllowTraffic'> | undefined;
  /** How the built AppSpec is written (default yaml). */
  appspecFormat?: 'yaml' | 'json' | undefined;
}

export interface EcsRevisionSource {
  kind: 'ecs';
  /** A task definition JSON file (RegisterTaskDefinition input, or DescribeTaskDefinition output). */
  taskDefinitionFile?: string | undefined;
  /** Cluster and service; default the deployment group's ecsServices[0]. */
  cluster?: string | undefined;
  service?: string | undefined;
  /** Image overrides by container name (`{ web: 'registry/app:2' }`); applied before registering. */
  images?: Record<string, string> | undefined;
  /** The container and port the load balancer sends traffic to; default the only container with a port mapping. */
  containerName?: string | undefined;
  containerPort?: number | undefined;
  platformVersion?: string | undefined;
  /**
   * The replacement task set's awsvpc settings; without them CodeDeploy keeps the service's. CodeDeploy
   * takes subnets, security groups and public IP assignment together: security groups are required
   * here, and assignPublicIp defaults to DISABLED.
   */
  networkConfiguration?:
    | {
        subnets: string[];
        securityGroups?: string[] | undefined;
        assignPublicIp?: 'ENABLED' | 'DISABLED' | undefined;
      }
    | undefined;
  capacityProviderStrategy?:
    | Array<{ provider: string; base?: number | undefined; weight?: number | undefined }>
    | undefined;
  hooks?:
    | HookFunctions<
        | 'BeforeInstall'
        | 'AfterInstall'
        | 'AfterAllowTestTraffic'
        | 'BeforeAllowTraffic'
        | 'AfterAllowTraffic'
      >
    | undefined;
  appspecFormat?: 'yaml' | 'json' | undefined;
}

const EXTENSIONS: Array<[string, BundleType]> = [
  ['.tar.gz', 'tgz'],
  ['.tgz', 'tgz'],
  ['.tar', 'tar'],
  ['.zip', 'zip'],
  ['.yaml', 'YAML'],
  ['.yml', 'YAML'],
  ['.json', 'JSON'],
];

/** The bundle type CodeDeploy expects for an S3 key, from its extension. */
export function bundleTypeOfKey(key: string): BundleType | undefined {
  const lower = key.toLowerCase();
  return EXTENSIONS.find(([extension]) => lower.endsWith(extension))?.[1];
}

/** The S3 location of a bundle revision, checked as far as can be without AWS: a key, a bundle type. */
export function s3RevisionLocation(source: Extract<RevisionSource, { kind: 's3' }>): S3Location {
  const { bucket, key } = parseS3Url(source.url);
  if (key === '') {
    throw new InvalidInputError(`--s3-location ${source.url} names a bucket but no object`, {
      hint: 'Give the bundle key: s3://BUCKET/path/to/bundle.zip.',
    });
  }
  const bundleType = source.bundleType ?? bundleTypeOfKey(key);
  if (bundleType === undefined) {
    throw new InvalidInputError(`cannot tell the bundle type of s3://${bucket}/${key} from its extension`, {
      hint: 'Use a .zip, .tar, .tgz/.tar.gz, .yaml or .json key, or pass --bundle-type zip|tar|tgz|YAML|JSON.',
    });
  }
  return {
    bucket,
    key,
    bundleType,
    ...(source.eTag ? { eTag: source.eTag } : {}),
    ...(source.version ? { version: source.version } : {}),
  };
}

/** An S3 bundle revision, checked to exist (HeadObject) before any deployment is created. */
export async function s3BundleRevision(
  source: Extract<RevisionSource, { kind: 's3' }>,
  s3: S3Client,
  signal?: AbortSignal,
): Promise<RevisionLocation> {
  const location = s3RevisionLocation(source);
  const bucket = location.bucket as string;
  const key = location.key as string;
  // Loaded here rather than at start: see loadS3 in deploy.ts.
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(source.version ? { VersionId: source.version } : {}),
        ...(source.eTag ? { IfMatch: source.eTag } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    signal?.throwIfAborted();
    const name = (error as { name?: string }).name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchBucket' || status === 404) {
      throw new InvalidInputError(`the revision s3://${bucket}/${key} does not exist`, {
        hint: 'Push it first (codedeploy-gate push) or fix --s3-location / --version.',
        cause: error,
      });
    }
    if (name === 'PreconditionFailed' || status === 412) {
      throw new InvalidInputError(`s3://${bucket}/${key} does not have ETag ${source.eTag}`, {
        hint: 'The object changed since the ETag was taken: drop --etag or use the current one.',
        cause: error,
      });
    }
    // Forbidden on HEAD is common for roles that may only GetObject: let CodeDeploy decide.
    if (status !== 403) throw wrapAwsError(`checking s3://${bucket}/${key}`, error);
  }
  return { revisionType: 'S3', s3Location: location };
}

/** A GitHub revision; the repository as OWNER/REPO and a full or abbreviated commit SHA. */
export function githubRevision(source: Extract<RevisionSource, { kind: 'github' }>): RevisionLocation {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(source.repository)) {
    throw new InvalidInputError(`--github-repo "${source.repository}" is not OWNER/REPO`, {
      hint: 'Use the repository as GitHub shows it, e.g. --github-repo my-org/my-service.',
    });
  }
  if (!/^[0-9a-f]{7,40}$/i.test(source.commitId)) {
    throw new InvalidInputError(`--commit "${source.commitId}" is not a commit SHA`, {
      hint: 'Pass the commit id (git rev-parse HEAD), 7 to 40 hexadecimal characters.',
    });
  }
  return {
    revisionType: 'GitHub',
    gitHubLocation: { repository: source.repository, commitId: source.commitId },
  };
}

/**
 * The AppSpec file of an AppSpecContent revision, checked as far as can be without AWS: a regular file
 * within the appspec size limit, naming a Lambda function or an ECS service under Resources, and valid
 * for that platform. Throws {@link RevisionInvalidError} with the problems when it is not.
 */
export async function readAppspecSource(file: string): Promise<string> {
  const content = (
    await readRegularFile(file, {
      what: 'the AppSpec file',
      maxBytes: MAX_READ_SIZE,
      hint: 'Give the Lambda or ECS AppSpec file (YAML or JSON).',
    })
  ).toString('utf8');
  // Loaded here rather than at start (YAML parser and rules): see loadS3 in deploy.ts.
  const { validateAppspec } = await import('../appspec/validate.js');
  const validation = validateAppspec(content, { file });
  if (validation.platform === 'server') {
    throw new InvalidInputError(
      `the AppSpec file ${file} names no AWS::Lambda::Function or AWS::ECS::Service under Resources: an AppSpec revision is for Lambda and ECS applications; nothing was created`,
      {
        hint: 'Give each resource its Type; for an EC2/on-premises application, deploy the revision folder or a bundle instead.',
      },
    );
  }
  if (!validation.valid) throw new RevisionInvalidError(validation);
  return content;
}

/**
 * An AppSpecContent revision from a Lambda or ECS AppSpec file, validated for the application's
 * platform; CONTENT is the file as {@link readAppspecSource} read it (read now when not given).
 */
export async function appspecRevision(
  source: Extract<RevisionSource, { kind: 'appspec' }>,
  platform: 'lambda' | 'ecs',
  content?: string,
): Promise<RevisionLocation> {
  const text = content ?? (await readAppspecSource(source.file));
  const { validateAppspec } = await import('../appspec/validate.js');
  const validation = validateAppspec(text, { file: source.file, platform });
  if (!validation.valid) throw new RevisionInvalidError(validation);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: { content: text, sha256 } };
}
