import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { sha256Of } from '../engine/index.js';
import { CodeDeployError } from '../wire/codedeploy-error.js';
import { codeDeployError } from '../wire/codedeploy-messages.js';
import type { OperationContext } from '../wire/operation.js';

/**
 * The AppSpec text of a Lambda or ECS revision: inline (AppSpecContent, String), its sha256 checked
 * when given, or an appspec.yaml/.json object read from S3 the way CodeDeploy reads it.
 */
export async function appSpecContentOf(
  revision: RevisionLocation,
  context: OperationContext,
): Promise<string> {
  if (revision.revisionType === 'S3') return readS3AppSpec(revision.s3Location ?? {}, context.endpoint);
  const inline = revision.revisionType === 'String' ? revision.string : revision.appSpecContent;
  const content = inline?.content;
  if (content === undefined || content === '') {
    throw codeDeployError(
      'InvalidRevisionException',
      `The ${revision.revisionType} revision has no content: put the AppSpec file's text in ${revision.revisionType === 'String' ? 'string' : 'appSpecContent'}.content.`,
    );
  }
  const expected = inline?.sha256;
  if (expected !== undefined && expected !== '' && expected.toLowerCase() !== sha256Of(content)) {
    throw codeDeployError(
      'InvalidRevisionException',
      `The sha256 of the revision (${expected}) does not match its content (${sha256Of(content)}). Send the SHA-256 hex digest of the exact content, or leave sha256 out.`,
    );
  }
  return content;
}

async function readS3AppSpec(
  location: NonNullable<RevisionLocation['s3Location']>,
  endpoint: string,
): Promise<string> {
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  const where = `s3://${location.bucket}/${location.key}`;
  try {
    const response = await client.send(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        ...(location.version ? { VersionId: location.version } : {}),
      }),
    );
    const etag = response.ETag?.replaceAll('"', '') ?? '';
    if (location.eTag && location.eTag.replaceAll('"', '') !== etag) {
      throw codeDeployError(
        'InvalidRevisionException',
        `The ETag of ${where} is ${etag}, not the eTag ${location.eTag} of the revision.`,
      );
    }
    return (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (error instanceof CodeDeployError) throw error;
    if (
      error instanceof S3ServiceException &&
      ['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes(error.name)
    ) {
      throw codeDeployError(
        'RevisionDoesNotExistException',
        `The AppSpec file ${where} does not exist: upload it, or check the bucket and key.`,
      );
    }
    throw codeDeployError(
      'InvalidRevisionException',
      `The AppSpec file ${where} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    client.destroy();
  }
}
